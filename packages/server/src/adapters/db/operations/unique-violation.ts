/**
 * Whether `error` is PostgreSQL's unique violation (23505) of the constraint or unique index
 * `name`, from pg or PGlite (both report `constraint`; the message names it too).
 */
export function isUniqueViolation(error: unknown, name: string): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  return e.code === '23505' && (e.constraint === name || (typeof e.message === 'string' && e.message.includes(`"${name}"`)));
}

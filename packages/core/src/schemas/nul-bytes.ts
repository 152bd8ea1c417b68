import { PaygateError } from '../errors/paygate-error.js';

/**
 * Where the first NUL character (U+0000) sits in a JSON-like value: the dotted path of the
 * string (or of the object holding a key) that carries it, `''` for the value itself, or
 * `undefined` when there is none. PostgreSQL cannot store U+0000 in `text` or `jsonb`, so such
 * input would otherwise fail inside the database instead of as a 400 that names the field.
 */
export function findNulByte(value: unknown, path: readonly string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findNulByte(value[i], [...path, String(i)]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    // A key with a NUL is reported on its object: the key itself is not a field name one can fix.
    if (key.includes('\u0000')) return path.join('.');
    const found = findNulByte(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Throws `BAD_REQUEST_ERROR` naming the field when `value` carries a NUL character anywhere. */
export function rejectNulBytes(value: unknown, where = 'the request body'): void {
  const field = findNulByte(value);
  if (field === undefined) return;
  const what = field === '' ? where : field;
  throw new PaygateError(
    'BAD_REQUEST_ERROR',
    `${what} must not contain a NUL character (\\u0000); remove it (it cannot be stored)`,
    field === '' ? {} : { field },
  );
}

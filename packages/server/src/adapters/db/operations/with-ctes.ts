/**
 * The `WITH` clause of a statement built from named CTEs (`name AS (...)` each), in order, laid
 * out as if written in one piece: the SQL text must not change between calls (prepared.ts).
 */
export function withCtes(ctes: readonly string[]): string {
  return `WITH ${ctes.join(',\n     ')}`;
}

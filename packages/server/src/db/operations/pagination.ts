import type { Knex } from 'knex';
import { toCount } from '../tables.js';

export type Page<T> = { rows: T[]; total: number };

/** Runs `query` for one page (newest first) and counts the whole result set. */
export async function paginate<T extends {}>(
  query: Knex.QueryBuilder<T, T[]>,
  { limit, offset }: { limit: number; offset: number },
): Promise<Page<T>> {
  const [rows, countRow] = await Promise.all([
    query.clone().orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit).offset(offset),
    query.clone().clearSelect().count<{ count: number | string }[]>({ count: '*' }).first(),
  ]);
  return { rows: rows as T[], total: toCount((countRow as { count: unknown } | undefined)?.count ?? 0) };
}

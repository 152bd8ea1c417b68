import type { Knex } from 'knex';
import { toCount } from '../../../model/rows.js';

export type Page<T> = { rows: T[]; total: number };

/** What every list reads: whose rows, which page, and an optional status. */
export type ListQuery = { db: Knex | Knex.Transaction; merchantId: string; limit: number; offset: number; status?: string | undefined };

/** Runs `query` for one page (newest first) and counts the whole result set. */
export async function paginate<T extends {}>(query: Knex.QueryBuilder<T, T[]>, { limit, offset }: { limit: number; offset: number }): Promise<Page<T>> {
  const [rows, countRow] = await Promise.all([
    query
      .clone()
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .offset(offset),
    query.clone().clearSelect().count<{ count: number | string }[]>({ count: '*' }).first(),
  ]);
  return { rows: rows as T[], total: toCount((countRow as { count: unknown } | undefined)?.count ?? 0) };
}

/**
 * One page of a merchant's rows in `table`, narrowed to the given value of each column in
 * `filters` (a filter left empty is no filter): what every list endpoint reads.
 */
export function merchantPage<T extends {}>(
  db: Knex | Knex.Transaction,
  table: string,
  { merchantId, limit, offset, filters = {} }: { merchantId: string; limit: number; offset: number; filters?: Record<string, string | undefined> },
): Promise<Page<T>> {
  const query = db(table).where('merchant_id', merchantId);
  for (const [column, value] of Object.entries(filters)) if (value) query.andWhere(column, value);
  return paginate(query as unknown as Knex.QueryBuilder<T, T[]>, { limit, offset });
}

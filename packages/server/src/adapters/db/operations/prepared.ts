import type { Knex } from 'knex';

/**
 * Runs `sql` as a named prepared statement: on PostgreSQL each connection parses it once and,
 * after five runs, keeps a generic plan, so later runs cost only bind and execute. For the
 * statements on the path of every payment, planning was a third of the database's CPU
 * (pg_stat_statements: 0.25 ms of the 0.6 ms each big CTE cost). PGlite ignores the name.
 *
 * Only for statements whose plan can't go stale as tables grow: lookups and updates by primary
 * key. A generic plan is made once, when a table may still be nearly empty, and stays until the
 * table is next analyzed (never, where autovacuum is off): for `id = ANY ($1)` or a join with a
 * JSON batch that was a sequential scan, slower with every row added. Batch statements run
 * unnamed instead, planned each time for their real size, a cost the batch shares.
 *
 * Batch statements that find rows by id also take the status they expect from the batch
 * (`t.status = v.read_status`), not as the literal `'pending'`: given the literal, the planner
 * prefers the partial index of pending rows (it guesses 0.5 % of the table), and where nothing
 * vacuums that index still lists every row that was ever pending, so the scan grows with history.
 *
 * `sql` must be the same text every time a name is used.
 */
export function prepared<TResult>(db: Knex | Knex.Transaction, name: string, sql: string, bindings: readonly Knex.RawBinding[]) {
  return db.raw<TResult>(sql, bindings).options({ name });
}

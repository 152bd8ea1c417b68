import type { SqlFragment } from './events.js';

/**
 * SQL for the test clock's offset in milliseconds, shared by every process through
 * `gateway_clock`, when its one parameter (a boolean: test mode) says so; 0 otherwise. What
 * "due" adds to the database's clock, read in the statement that judges it.
 */
export const SHARED_OFFSET_MS = 'CASE WHEN ? THEN COALESCE((SELECT offset_ms FROM gateway_clock WHERE id = 1), 0) ELSE 0 END';

/**
 * SQL for how many milliseconds until `<alias>.process_after` comes (0 when it has), judged by
 * the database's clock plus the shared test-clock offset, read in the same statement. Not by
 * the caller's clock: a worker whose clock lags (another host, or an offset it has not re-read
 * since an advance) would otherwise see due work as early.
 *
 * @param sharedOffset  add the `gateway_clock` offset (test mode); otherwise the plain clock.
 */
export function dueInMsSql(alias: string, sharedOffset: boolean): SqlFragment {
  return {
    sql: `GREATEST(0, ceil(extract(epoch FROM ${alias}.process_after - clock_timestamp()) * 1000
            - ${SHARED_OFFSET_MS}))::bigint`,
    bindings: [sharedOffset],
  };
}

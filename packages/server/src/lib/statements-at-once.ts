import type { Knex } from 'knex';

/**
 * How many batch statements a group commit runs at once on `db`: `wanted`, but never more than
 * the connections its pool may open. On PGlite's one connection statements run one after the
 * other anyway, so a second statement in flight only splits the backlog into smaller batches;
 * waiting for the one running lets the next batch grow instead. (With PGlite on a thread of its
 * own, four in flight made its statements 2.4 times as many for the same payments, and each
 * costs PGlite about 0.3 ms of CPU whatever its size.)
 */
export function statementsAtOnce(db: Knex, wanted: number): number {
  // A stand-in without a client (a unit test's fake) gets what it wants.
  const max = (db.client as Knex.Client | undefined)?.config?.pool?.max as unknown;
  return typeof max === 'number' && max > 0 ? Math.min(wanted, max) : wanted;
}

/** Statements of each kind a request's path runs at once; what arrives meanwhile joins the next one. */
const REQUEST_STATEMENTS_IN_FLIGHT = 4;
/** Items (payments, order lookups, new orders, Idempotency-Key records) one such statement serves at most. */
const REQUEST_ITEMS_PER_STATEMENT = 100;

/**
 * The batcher limits of the group commits on a request's path (payment-store.ts, and the
 * Idempotency-Key records in operations/idempotency-keys.ts): one definition, so that they grow
 * and shrink together.
 */
export function requestBatchLimits(db: Knex): { maxBatch: number; maxInFlight: number } {
  return { maxBatch: REQUEST_ITEMS_PER_STATEMENT, maxInFlight: statementsAtOnce(db, REQUEST_STATEMENTS_IN_FLIGHT) };
}

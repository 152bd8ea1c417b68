import { processPayments } from '../services/payments.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { statementsAtOnce } from '../lib/statements-at-once.js';
import { pooledSettlement } from './pooled-settlement.js';

/** Settlement statements a worker runs at once; jobs arriving meanwhile join the next batch. */
const SETTLEMENTS_IN_FLIGHT = 4;
const MAX_PAYMENTS_PER_SETTLEMENT = 200;

/** Settles the payments of a job, pooled with the other jobs running in this process (group commit). */
export function paymentWorker(deps: ServiceDeps) {
  return pooledSettlement(deps.metrics, {
    settle: (ids) => processPayments(deps, ids),
    maxBatch: MAX_PAYMENTS_PER_SETTLEMENT,
    maxInFlight: statementsAtOnce(deps.db, SETTLEMENTS_IN_FLIGHT),
    batch: 'payment_settlement',
  });
}

import { processRefunds } from '../services/refunds.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { statementsAtOnce } from '../lib/statements-at-once.js';
import { pooledSettlement } from './pooled-settlement.js';

/** Settlement statements a worker runs at once; jobs arriving meanwhile join the next batch. */
const SETTLEMENTS_IN_FLIGHT = 4;
const MAX_REFUNDS_PER_SETTLEMENT = 200;

/** Settles the refunds of a job, pooled with the other jobs running in this process (group commit). */
export function refundWorker(deps: ServiceDeps) {
  return pooledSettlement(deps.metrics, {
    settle: (ids) => processRefunds(deps, ids),
    maxBatch: MAX_REFUNDS_PER_SETTLEMENT,
    maxInFlight: statementsAtOnce(deps.db, SETTLEMENTS_IN_FLIGHT),
    batch: 'refund_settlement',
  });
}

import { batchOrEach, createBatcher } from '../lib/batcher.js';
import { processRefunds } from '../services/refunds.js';
import type { ServiceDeps } from '../services/service-deps.js';

/** Settlement statements a worker runs at once; jobs arriving meanwhile join the next batch. */
const SETTLEMENTS_IN_FLIGHT = 4;
const MAX_REFUNDS_PER_SETTLEMENT = 200;

/**
 * Settles the refunds of a job, pooled with the other jobs running in this process (group
 * commit, as payment.worker.ts does): the ids that come in while settlements are in flight go
 * together in the next statement.
 */
export function refundWorker(deps: ServiceDeps) {
  const settle = createBatcher<string>({
    // A batch that fails is settled again one refund at a time: one bad row fails only its job.
    run: (ids) =>
      batchOrEach(
        ids,
        (batch) => processRefunds(deps, batch).then(() => batch.map(() => undefined)),
        (id) => processRefunds(deps, [id]).then(() => undefined),
      ),
    maxBatch: MAX_REFUNDS_PER_SETTLEMENT,
    maxInFlight: SETTLEMENTS_IN_FLIGHT,
    onBatch: (n) => deps.metrics.batchSize.observe({ batch: 'refund_settlement' }, n),
  });
  return (ids: string[]) => settle.add(ids).then(() => 'settled');
}

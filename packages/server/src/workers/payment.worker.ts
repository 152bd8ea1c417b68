import { batchOrEach, createBatcher } from '../lib/batcher.js';
import { processPayments } from '../services/payments.js';
import type { ServiceDeps } from '../services/service-deps.js';

/** Settlement statements a worker runs at once; jobs arriving meanwhile join the next batch. */
const SETTLEMENTS_IN_FLIGHT = 4;
const MAX_PAYMENTS_PER_SETTLEMENT = 200;

/**
 * Settles the payments of a job. The ids of every job running in this process are pooled (group
 * commit): while settlements are in flight, the ids that come in wait and go together in the next
 * one, so a busy worker settles hundreds a second with a few statements, and an idle one settles
 * each payment the moment its job arrives.
 */
export function paymentWorker(deps: ServiceDeps) {
  const settle = createBatcher<string>({
    // A batch that fails is settled again one payment at a time: one bad row fails only its job.
    run: (ids) =>
      batchOrEach(
        ids,
        (batch) => processPayments(deps, batch).then(() => batch.map(() => undefined)),
        (id) => processPayments(deps, [id]).then(() => undefined),
      ),
    maxBatch: MAX_PAYMENTS_PER_SETTLEMENT,
    maxInFlight: SETTLEMENTS_IN_FLIGHT,
    onBatch: (n) => deps.metrics.batchSize.observe({ batch: 'payment_settlement' }, n),
  });
  return (ids: string[]) => settle.add(ids).then(() => 'settled');
}

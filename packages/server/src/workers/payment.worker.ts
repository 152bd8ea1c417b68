import { paymentFromCopy } from '../model/payment-copy.js';
import { processPayments } from '../services/payments.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { statementsAtOnce } from '../lib/statements-at-once.js';
import { PaymentCopies } from './payment-copies.js';
import { pooledSettlement } from './pooled-settlement.js';

/** Settlement statements a worker runs at once; jobs arriving meanwhile join the next batch. */
const SETTLEMENTS_IN_FLIGHT = 4;
const MAX_PAYMENTS_PER_SETTLEMENT = 200;
/**
 * While a settlement runs, the next waits this long for more jobs: a lone payment still settles
 * at once, and under load the statements grow instead of multiplying. With the payment store's
 * same wait, the open loop at 2,000/s cost 803–879 µs of CPU per payment in all at 5 ms, against
 * 947–951 without (sixth sitting); 10 ms took a tenth more off (720–807 against 842–884, three
 * alternated pairs, thirty-sixth sitting) with the latency no higher, where 20 ms took little
 * more and doubled the latency's median (docs/performance.md, table of changes).
 */
const SETTLEMENT_LINGER_WHILE_BUSY_MS = 10;
/** Copies kept for settlements to come: far more than a worker has waiting at full load (a few megabytes). */
const COPIES_KEPT = 10_000;

/**
 * Settles the payments of a job, pooled with the other jobs running in this process (group
 * commit), from the copies of their rows the job carried where it did.
 */
export function paymentWorker(deps: ServiceDeps) {
  const copies = new PaymentCopies(COPIES_KEPT);
  const settle = pooledSettlement(deps.metrics, {
    settle: (ids) => processPayments(deps, ids, copies.take(ids)),
    maxBatch: MAX_PAYMENTS_PER_SETTLEMENT,
    maxInFlight: statementsAtOnce(deps.db, SETTLEMENTS_IN_FLIGHT),
    lingerWhileBusyMs: SETTLEMENT_LINGER_WHILE_BUSY_MS,
    batch: 'payment_settlement',
  });
  return (ids: string[], texts?: ReadonlyArray<string | undefined>) => {
    texts?.forEach((text, i) => {
      const row = text === undefined ? undefined : paymentFromCopy(ids[i]!, text);
      if (row) copies.remember(row);
    });
    return settle(ids);
  };
}

import { deleteExpiredIdempotencyKeys } from '../db/operations/idempotency-keys.js';
import { claimDueDeliveries, claimStaleSettlements, type RelayWindow } from '../db/operations/relay.js';
import type { ServiceDeps } from '../services/deps.js';

const BATCH = 500;

/**
 * The relay makes the database the source of truth for the queue. Each sweep queues
 *  - webhook retries that came due (retries are only ever queued here, by the gateway clock, so an
 *    advanced test clock fires them at once), and deliveries whose job looks lost;
 *  - payments and refunds whose job looks lost (Redis flushed or restarted, worker SIGKILLed).
 * Queued jobs are idempotent, so a job queued twice costs a no-op, never a double effect.
 */
export function createRelay(deps: ServiceDeps) {
  let sweeping: Promise<number> | undefined;

  async function sweepOnce(): Promise<number> {
    const realNow = deps.clock.realNow();
    const window: RelayWindow = {
      now: deps.clock.now(),
      realNow,
      staleBefore: new Date(realNow.getTime() - deps.config.relayStaleMs),
      limit: BATCH,
    };
    const [payments, refunds, deliveries] = await Promise.all([
      claimStaleSettlements({ db: deps.db, table: 'payments', window }),
      claimStaleSettlements({ db: deps.db, table: 'refunds', window }),
      claimDueDeliveries({ db: deps.db, window }),
    ]);
    await Promise.all([
      deps.queue.enqueue('payments', payments),
      deps.queue.enqueue('refunds', refunds),
      deps.queue.enqueue('deliveries', deliveries),
    ]);
    if (payments.length + refunds.length > 0) {
      deps.log.warn({ payments: payments.length, refunds: refunds.length }, 'relay requeued jobs that looked lost');
    }
    return payments.length + refunds.length + deliveries.length;
  }

  return {
    /** One sweep (concurrent calls share it); keeps going while full batches come back. */
    sweep(): Promise<number> {
      sweeping ??= (async () => {
        let total = 0;
        try {
          for (let n = BATCH; n === BATCH; total += n) n = await sweepOnce();
        } finally {
          sweeping = undefined;
        }
        return total;
      })();
      return sweeping;
    },
    async purgeExpiredIdempotencyKeys(): Promise<number> {
      return deleteExpiredIdempotencyKeys({ db: deps.db, now: deps.clock.now() });
    },
  };
}
export type Relay = ReturnType<typeof createRelay>;

import { deleteExpiredIdempotencyKeys } from '../adapters/db/operations/idempotency-keys.js';
import { claimRelayWork, type RelayKind, type RelayWindow } from '../adapters/db/operations/relay.js';
import type { ServiceDeps } from './service-deps.js';

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

  const KINDS: readonly RelayKind[] = ['payments', 'refunds', 'deliveries'];

  /** Claims and queues one page of each kind asked for; returns how many of each it queued. */
  async function sweepPage(kinds: readonly RelayKind[]): Promise<Record<RelayKind, number>> {
    const realNow = deps.clock.realNow();
    const window: RelayWindow = {
      now: deps.clock.now(),
      realNow,
      staleBefore: new Date(realNow.getTime() - deps.config.relayStaleMs),
      limit: BATCH,
    };
    const claimed = await claimRelayWork({ db: deps.db, kinds, window });
    await Promise.all(kinds.map((kind) => deps.queue.enqueue(kind, claimed[kind])));
    const counts: Record<RelayKind, number> = { payments: claimed.payments.length, refunds: claimed.refunds.length, deliveries: claimed.deliveries.length };
    if (counts.payments + counts.refunds > 0) {
      deps.log.warn({ payments: counts.payments, refunds: counts.refunds }, 'relay requeued jobs that looked lost');
    }
    return counts;
  }

  return {
    /**
     * One sweep (concurrent calls share it). Each kind of work is paged on its own: a kind whose
     * page came back full is swept again, whatever the other kinds returned, until none is full.
     */
    sweep(): Promise<number> {
      sweeping ??= (async () => {
        let total = 0;
        try {
          for (let kinds = KINDS; kinds.length > 0;) {
            const counts = await sweepPage(kinds);
            total += kinds.reduce((sum, kind) => sum + counts[kind], 0);
            kinds = kinds.filter((kind) => counts[kind] === BATCH);
          }
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

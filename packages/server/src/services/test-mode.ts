import { countLiveWorkers } from '../adapters/db/operations/relay.js';
import { deleteAllDataExcept } from '../adapters/db/operations/reset.js';
import { QUEUE_NAMES } from '../ports/job-queue.js';
import type { ServiceDeps } from './service-deps.js';
import { SEED_MERCHANT, SEED_WEBHOOK_SETTINGS } from './merchants.js';

/** A worker counts as alive if it beat within this window (it beats every 2 s). */
export const HEARTBEAT_WINDOW_MS = 10_000;

/** Seed-compatible job counts summed over the queues, with `worker_status` from heartbeats. */
export async function getJobStatus(deps: Pick<ServiceDeps, 'db' | 'queue' | 'clock'>) {
  const [counts, live] = await Promise.all([
    deps.queue.counts(),
    countLiveWorkers({ db: deps.db, since: new Date(deps.clock.realNow().getTime() - HEARTBEAT_WINDOW_MS) }),
  ]);
  const sum = (pick: (c: (typeof counts)['payments']) => number) => QUEUE_NAMES.reduce((n, q) => n + pick(counts[q]), 0);
  return {
    pending: sum((c) => c.waiting + c.delayed),
    processing: sum((c) => c.active),
    completed: sum((c) => c.completed),
    failed: sum((c) => c.failed),
    worker_status: live > 0 ? ('running' as const) : ('stopped' as const),
    workers: live,
    queues: counts,
  };
}

/**
 * Empties the data (test mode): every order, payment, refund, event, delivery, idempotency key and
 * test-made merchant; the seed merchant gets its original settings back. The clock is reset by
 * the caller, which owns it.
 */
export async function resetData(deps: Pick<ServiceDeps, 'db' | 'clock'>): Promise<void> {
  await deleteAllDataExcept({
    db: deps.db,
    keepMerchantId: SEED_MERCHANT.id,
    keptMerchantChanges: { ...SEED_WEBHOOK_SETTINGS, updated_at: deps.clock.now() },
  });
}

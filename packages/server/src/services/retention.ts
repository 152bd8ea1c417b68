import {
  deleteAttemptsOfFinishedDeliveries,
  deleteFinishedDeliveriesOfOldEvents,
  deleteOldEventsWithoutDeliveries,
  deleteStaleHeartbeats,
} from '../adapters/db/operations/retention.js';
import type { ServiceDeps } from './service-deps.js';

const DAY_MS = 86_400_000;

export type RetentionCounts = { attempts: number; deliveries: number; events: number; heartbeats: number };

type Deps = Pick<ServiceDeps, 'db' | 'clock' | 'config'>;

/**
 * Runs `step` batch after batch until one comes back short. A step reports the rows it took
 * (what `limit` bounds) and the rows it removed; returns the rows removed.
 */
async function inBatches(limit: number, step: (limit: number) => Promise<{ taken: number; removed: number }>): Promise<number> {
  let removed = 0;
  for (let taken = limit; taken === limit;) {
    const batch = await step(limit);
    taken = batch.taken;
    removed += batch.removed;
  }
  return removed;
}
const each = (n: number) => ({ taken: n, removed: n });

/**
 * Removes what retention allows (`config.retention`): attempts of long-finished deliveries, old
 * events with their finished delivery, and heartbeats of dead workers. Each DELETE is one short
 * statement of at most `batchSize` rows, so it never holds locks for long; deletes are idempotent,
 * so several workers pruning at once only share the work.
 *
 * @remarks Ages of events and attempts are on the gateway clock, like the timestamps they are
 * compared with, so an advanced test clock ages them; heartbeats are real time.
 */
export async function pruneExpiredData(deps: Deps): Promise<RetentionCounts> {
  const { eventDays, attemptDays, heartbeatSeconds, batchSize } = deps.config.retention;
  const db = deps.db;
  const now = deps.clock.now().getTime();
  const counts: RetentionCounts = { attempts: 0, deliveries: 0, events: 0, heartbeats: 0 };
  if (attemptDays > 0) {
    const before = new Date(now - attemptDays * DAY_MS);
    counts.attempts = await inBatches(batchSize, async (limit) => {
      const batch = await deleteAttemptsOfFinishedDeliveries({ db, before, limit });
      return { taken: batch.deliveries, removed: batch.attempts };
    });
  }
  if (eventDays > 0) {
    const before = new Date(now - eventDays * DAY_MS);
    counts.deliveries = await inBatches(batchSize, (limit) => deleteFinishedDeliveriesOfOldEvents({ db, before, limit }).then(each));
    counts.events = await inBatches(batchSize, (limit) => deleteOldEventsWithoutDeliveries({ db, before, limit }).then(each));
  }
  const deadBefore = new Date(deps.clock.realNow().getTime() - heartbeatSeconds * 1_000);
  counts.heartbeats = await inBatches(batchSize, (limit) => deleteStaleHeartbeats({ db, before: deadBefore, limit }).then(each));
  return counts;
}

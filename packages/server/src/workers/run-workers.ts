import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { deleteHeartbeat, upsertHeartbeat } from '../db/operations/relay.js';
import type { ServiceDeps } from '../services/deps.js';
import { deliveryWorker } from './delivery.worker.js';
import { paymentWorker } from './payment.worker.js';
import { createRelay, type Relay } from './relay.js';
import { refundWorker } from './refund.worker.js';
import { scheduleRetention } from './retention.js';
import type { JobQueue, QueueName } from '../queue/job-queue.js';

const HEARTBEAT_MS = 2_000;
const PURGE_MS = 60_000;

/** `queue`, except that deliveries are made at once by `deliver` instead of being queued. */
function withInlineDeliveries(queue: JobQueue, deliver: (ids: string[]) => Promise<unknown>): JobQueue {
  return {
    ...queue,
    enqueue: (name, ids, options) => (name === 'deliveries' && !options?.runAt ? deliver([...ids]).then(() => undefined) : queue.enqueue(name, ids, options)),
  };
}

export type RunningWorkers = { id: string; relay: Relay; stop(timeoutMs: number): Promise<void> };

/**
 * Starts consuming the three queues with `concurrency` jobs each, plus the relay sweep and the
 * heartbeat that `worker_status` reads. `stop` stops the timers, lets running jobs finish (up to
 * the timeout; the rest come back through the relay), and removes the heartbeat.
 */
export function runWorkers(deps: ServiceDeps, options: { concurrency: number }): RunningWorkers {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const startedAt = deps.clock.realNow();
  const relay = createRelay(deps);

  const timed =
    (queue: QueueName, handler: (ids: string[]) => Promise<string>) =>
    async (ids: string[]): Promise<void> => {
      const end = deps.metrics.jobDuration.startTimer({ queue });
      try {
        end({ outcome: await handler(ids) });
      } catch (error) {
        end({ outcome: 'error' });
        deps.log.error({ err: error, queue, ids }, 'job failed; the relay will retry it');
        throw error;
      }
    };
  // A settlement's own webhook deliveries are attempted right away inside its job instead of
  // going round the queue: one job less per event (payments do it themselves, refunds through
  // this). Should this process die in between, the rows are still there and the relay queues
  // them once they look abandoned (PAYGATE_RELAY_STALE_MS).
  const settleDeps: ServiceDeps = { ...deps, queue: withInlineDeliveries(deps.queue, deliveryWorker(deps)) };
  deps.queue.process('payments', options.concurrency, timed('payments', paymentWorker(deps)));
  deps.queue.process('refunds', options.concurrency, timed('refunds', refundWorker(settleDeps)));
  deps.queue.process('deliveries', options.concurrency, timed('deliveries', deliveryWorker(deps)));

  const beat = () =>
    upsertHeartbeat({ db: deps.db, worker: { id, hostname: hostname(), pid: process.pid, concurrency: options.concurrency, startedAt }, realNow: deps.clock.realNow() }).catch(
      (error: unknown) => deps.log.warn({ err: error }, 'heartbeat failed'),
    );
  const sweep = () => relay.sweep().catch((error: unknown) => deps.log.warn({ err: error }, 'relay sweep failed'));
  const purge = () => relay.purgeExpiredIdempotencyKeys().catch((error: unknown) => deps.log.warn({ err: error }, 'idempotency purge failed'));

  void beat();
  void sweep();
  const timers = [setInterval(beat, HEARTBEAT_MS), setInterval(sweep, deps.config.relayIntervalMs), setInterval(purge, PURGE_MS)];
  timers.forEach((t) => t.unref());
  const retention = scheduleRetention(deps);

  return {
    id,
    relay,
    async stop(timeoutMs) {
      timers.forEach(clearInterval);
      await retention.stop();
      await deps.queue.close(timeoutMs);
      await deleteHeartbeat({ db: deps.db, workerId: id }).catch(() => undefined);
    },
  };
}

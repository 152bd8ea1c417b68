import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ServiceDeps } from '../services/service-deps.js';
import { createDeliveryDispatcher, type DeliveryDispatcher } from '../services/delivery-dispatcher.js';
import { createRelay, type Relay } from '../services/relay.js';
import { recordWorkerHeartbeat, removeWorkerHeartbeat, type WorkerIdentity } from '../services/worker-heartbeat.js';
import { deliveryWorker } from './delivery.worker.js';
import { withInProcessDeliveries } from './in-process-deliveries.js';
import { paymentWorker } from './payment.worker.js';
import { refundWorker } from './refund.worker.js';
import { scheduleRetention } from './retention.js';
import { scheduleRelay } from './relay-schedule.js';
import type { JobHandler, QueueName } from '../ports/job-queue.js';
import type { TestClock } from '../ports/clock.js';

const HEARTBEAT_MS = 2_000;
const PURGE_MS = 60_000;
/** After the grace period, how long the attempts just cut off get to be logged. */
const CUT_OFF_RECORD_MS = 5_000;

export type RunningWorkers = { id: string; relay: Relay; deliveries: DeliveryDispatcher; stop(timeoutMs: number): Promise<void> };

/**
 * Starts consuming the three queues with `concurrency` jobs each, plus the relay sweep and the
 * heartbeat that `worker_status` reads. `stop` stops the timers, lets running jobs and webhook
 * attempts finish (up to the timeout; the rest come back through the relay), and removes the
 * heartbeat. `relay`: one made earlier (the gateway hands it to its HTTP app before the workers start).
 * `testClock`: test mode's clock where other processes move it; the relay sweeps soon after a move.
 */
export function runWorkers(
  deps: ServiceDeps,
  options: { concurrency: number; relay?: Relay; testClock?: Pick<TestClock, 'onMove'> | undefined },
): RunningWorkers {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const identity: WorkerIdentity = { id, hostname: hostname(), pid: process.pid, concurrency: options.concurrency, startedAt: deps.clock.realNow() };
  const relay = options.relay ?? createRelay(deps);

  const timed =
    (queue: QueueName, handler: (ids: string[], copies?: ReadonlyArray<string | undefined>) => Promise<string>): JobHandler =>
    async (ids, copies) => {
      const end = deps.metrics.jobDuration.startTimer({ queue });
      try {
        end({ outcome: await handler(ids, copies) });
      } catch (error) {
        end({ outcome: 'error' });
        deps.log.error({ err: error, queue, ids }, 'job failed; the relay will retry it');
        throw error;
      }
    };
  const sweep = () =>
    relay.sweep().catch((error: unknown) => {
      deps.log.warn({ err: error }, 'relay sweep failed');
      return 0;
    });
  // The first sweep one interval after the start, not at once: in `pg-cli dev` it ran on PGlite's
  // one session just as the gateway became ready, and its first call (PL/pgSQL loaded, its
  // statements planned on a cold catalogue: 0.1 s) held up the first request. Half a second is
  // nothing to what it picks up: retries that came due while no worker ran, and jobs found lost
  // only once their stale window (30 s) has passed.
  const relaySchedule = scheduleRelay(sweep, { baseMs: deps.config.relayIntervalMs, firstAfterMs: deps.config.relayIntervalMs });
  options.testClock?.onMove(() => relaySchedule.soon());
  // Settlements never wait for a webhook: they hand their deliveries to this process's dispatcher
  // (in-process-deliveries.ts), and every attempt goes through it (per-endpoint slots, one log path).
  // Retries and handed-back deliveries are queued only by the relay: they tell it when to sweep.
  const deliveries = createDeliveryDispatcher(deps, {
    onRetryScheduled: (at) => relaySchedule.dueAt(new Date(at.getTime() - deps.clock.offsetMs())),
    onHandedBack: () => relaySchedule.soon(),
  });
  const settling: ServiceDeps = { ...deps, queue: withInProcessDeliveries(deps.queue, deliveries), deliveries };
  deps.queue.process('payments', options.concurrency, timed('payments', paymentWorker(settling)));
  deps.queue.process('refunds', options.concurrency, timed('refunds', refundWorker(settling)));
  deps.queue.process('deliveries', options.concurrency, timed('deliveries', deliveryWorker(deliveries)));

  const beat = () => recordWorkerHeartbeat(deps, identity).catch((error: unknown) => deps.log.warn({ err: error }, 'heartbeat failed'));
  const purge = () => relay.purgeExpiredIdempotencyKeys().catch((error: unknown) => deps.log.warn({ err: error }, 'idempotency purge failed'));

  void beat();
  const timers = [setInterval(beat, HEARTBEAT_MS), setInterval(purge, PURGE_MS)];
  timers.forEach((t) => t.unref());
  const retention = scheduleRetention(deps);

  return {
    id,
    relay,
    deliveries,
    async stop(timeoutMs) {
      timers.forEach(clearInterval);
      relaySchedule.stop();
      await retention.stop();
      const [, recorded] = await Promise.all([deps.queue.close(timeoutMs), deliveries.close(timeoutMs)]);
      if (!recorded) {
        // Past the grace period: cut off the attempts still waiting on slow receivers; each is
        // logged as a failed attempt (and retried on schedule) before the database goes.
        await deps.httpSender.close();
        await deliveries.close(CUT_OFF_RECORD_MS);
      }
      await removeWorkerHeartbeat(deps, id).catch(() => undefined);
    },
  };
}

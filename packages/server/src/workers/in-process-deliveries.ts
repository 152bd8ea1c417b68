import type { JobQueue } from '../ports/job-queue.js';
import type { DeliveryDispatcher } from '../services/delivery-dispatcher.js';

/**
 * The queue a worker's own jobs see: the webhook deliveries a refund settlement creates go
 * straight to this process's dispatcher (which claims them by id), not through a Redis job that
 * some worker then takes. The worker that settled is as good a sender as any, and the detour cost
 * a queue round trip (about eleven Redis commands for one delivery) and the wait for a consumer to
 * pick the job up. (Payment settlements go further: they write their deliveries already leased
 * and hand them over whole, see LeasedDeliveryHandoff; so do new payments where the API runs in
 * this process, `pg-cli dev`.)
 *
 * Nothing is less durable for it: a delivery is created queued (`enqueued_at` set) in the
 * statement that records its event, so if this process dies before it claims it, the relay finds
 * it stale and queues it, as it does for a job Redis lost. Retries, manual re-sends and the
 * relay's sweeps still go through the queue, so they spread over every worker. Deliveries sent
 * this way are not counted in the queue's completed jobs.
 */
export function withInProcessDeliveries(queue: JobQueue, deliveries: DeliveryDispatcher): JobQueue {
  return {
    enqueue: (name, ids, options) =>
      name === 'deliveries' && !(options?.runAt && options.runAt.getTime() > Date.now()) ? deliveries.dispatch(ids) : queue.enqueue(name, ids, options),
    process: (name, concurrency, handler) => queue.process(name, concurrency, handler),
    counts: () => queue.counts(),
    check: () => queue.check(),
    ready: () => queue.ready(),
    close: (timeoutMs) => queue.close(timeoutMs),
  };
}

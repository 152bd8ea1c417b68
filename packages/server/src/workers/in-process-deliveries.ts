import type { JobQueue } from '../ports/job-queue.js';
import type { DeliveryDispatcher } from '../services/delivery-dispatcher.js';

/**
 * The queue a worker's own jobs see: the webhook deliveries a settlement (or a refund) creates go
 * straight to this process's dispatcher, not through a Redis job that some worker then takes. The
 * worker that settled a payment is as good a sender as any, and the detour cost every payment a
 * queue round trip (about eleven Redis commands when one payment is in flight) and the wait for a
 * consumer to pick the job up.
 *
 * Nothing is less durable for it: a delivery is created queued (`enqueued_at` set) in the
 * statement that settles its payment, so if this process dies before it claims it, the relay
 * finds it stale and queues it, as it does for a job Redis lost. Retries, manual re-sends and the
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

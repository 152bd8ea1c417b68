/** The three kinds of background work. Jobs carry a row id; the row is the truth. */
export type QueueName = 'payments' | 'refunds' | 'deliveries';

export const QUEUE_NAMES: readonly QueueName[] = ['payments', 'refunds', 'deliveries'];

export type JobHandler = (id: string) => Promise<void>;

export type QueueCounts = { waiting: number; delayed: number; active: number; completed: number; failed: number };

/**
 * The port both drivers implement (in-process for the embedded default, bee-queue on Redis for
 * production). Delivery is at least once: handlers must be idempotent, and they are, because
 * every state change is a guarded update.
 */
export interface JobQueue {
  /**
   * Queues one job per id; `runAt` (real time) delays them. Call only after the rows committed.
   * `replace` first drops a job the backend still holds under that id (the relay's requeue of a
   * job presumed lost: bee-queue ignores an add for an id it has).
   */
  enqueue(queue: QueueName, ids: readonly string[], options?: { runAt?: Date; replace?: boolean }): Promise<void>;
  /** Starts consuming `queue` (worker processes only). */
  process(queue: QueueName, concurrency: number, handler: JobHandler): void;
  counts(): Promise<Record<QueueName, QueueCounts>>;
  /** Throws when the queue backend is unusable (readiness). */
  check(): Promise<void>;
  /** Stops taking jobs, waits up to `timeoutMs` for running ones, then releases connections. */
  close(timeoutMs: number): Promise<void>;
}

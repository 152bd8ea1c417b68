/** The three kinds of background work. Jobs carry row ids; the rows are the truth. */
export type QueueName = 'payments' | 'refunds' | 'deliveries';

export const QUEUE_NAMES: readonly QueueName[] = ['payments', 'refunds', 'deliveries'];

/**
 * Handles a batch of row ids (one job may carry many: batching is what lets a worker settle a
 * hundred payments with one statement). Throwing fails them all; the relay brings them back.
 */
export type JobHandler = (ids: string[]) => Promise<void>;

/** Ids per job at most: a batch is settled by one statement, and this bounds its size. */
export const MAX_IDS_PER_JOB = 100;

/** waiting/delayed/active count jobs (each may carry several ids); completed/failed count ids. */
export type QueueCounts = { waiting: number; delayed: number; active: number; completed: number; failed: number };

/**
 * The port both drivers implement (in-process for the embedded default, Redis lists for
 * production). Delivery is at least once: handlers must be idempotent, and they are, because
 * every state change is a guarded update.
 */
export interface JobQueue {
  /**
   * Queues the ids (in jobs of at most MAX_IDS_PER_JOB; concurrent calls may share a job);
   * `runAt` (real time) delays them. Call only after the rows committed. Queueing an id twice
   * is harmless: the second job finds nothing left to do.
   */
  enqueue(queue: QueueName, ids: readonly string[], options?: { runAt?: Date }): Promise<void>;
  /** Starts consuming `queue` (worker processes only): `concurrency` jobs at a time. */
  process(queue: QueueName, concurrency: number, handler: JobHandler): void;
  counts(): Promise<Record<QueueName, QueueCounts>>;
  /** Throws when the queue backend is unusable (readiness). */
  check(): Promise<void>;
  /**
   * Resolves once every connection the queue opened so far is up (call it after `process`);
   * rejects if the backend cannot be reached. A process reports ready only after this.
   */
  ready(): Promise<void>;
  /** Stops taking jobs, waits up to `timeoutMs` for running ones, then releases connections. */
  close(timeoutMs: number): Promise<void>;
}

/**
 * The three kinds of background work. Jobs carry row ids, and may carry a copy of each row as
 * its producer wrote it (so the worker need not read it back); the rows are the truth.
 */
export type QueueName = 'payments' | 'refunds' | 'deliveries';

export const QUEUE_NAMES: readonly QueueName[] = ['payments', 'refunds', 'deliveries'];

/**
 * Handles a batch of row ids (one job may carry many: batching is what lets a worker settle a
 * hundred payments with one statement). Throwing fails them all; the relay brings them back.
 * `copies[i]`, when there, is the copy of `ids[i]`'s row it was queued with (see
 * {@link JobQueue.enqueue}): a copy only, which the handler must check against the row before it
 * acts on it.
 */
export type JobHandler = (ids: string[], copies?: ReadonlyArray<string | undefined>) => Promise<void>;

/** An id as a queue holds it: with the copy of its row it was queued with, if any. */
export type QueuedId = { id: string; copy: string | undefined };

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
   * is harmless: the second job finds nothing left to do. `copies` (one per id, text without a
   * line break) go with the ids to the handler: what the producer knows of each row.
   */
  enqueue(queue: QueueName, ids: readonly string[], options?: { runAt?: Date; copies?: readonly string[] }): Promise<void>;
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

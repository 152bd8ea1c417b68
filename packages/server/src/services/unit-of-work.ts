import type { Knex } from 'knex';
import type { QueueName } from '../ports/job-queue.js';
import type { ServiceDeps } from './service-deps.js';

/** Work to do once the transaction has committed: queue jobs for new rows, wake live event streams. */
export class AfterCommit {
  private readonly jobs: Array<{ queue: QueueName; ids: string[]; options: { runAt?: Date; copies?: readonly string[] } }> = [];
  private readonly announced: string[] = [];

  /** `copies`: one per id, the row as written, for the worker (see JobQueue.enqueue). */
  enqueue(queue: QueueName, ids: readonly string[], runAt?: Date, copies?: readonly string[]): void {
    if (ids.length > 0) this.jobs.push({ queue, ids: [...ids], options: { ...(runAt ? { runAt } : {}), ...(copies ? { copies } : {}) } });
  }

  /** Wakes these merchants' live event streams once committed (see EventBus). */
  announce(merchantIds: readonly string[]): void {
    this.announced.push(...merchantIds);
  }

  /**
   * Never throws: if the queue is down the rows are still there, and the relay queues them
   * once they look abandoned (PAYGATE_RELAY_STALE_MS).
   */
  async run(deps: Pick<ServiceDeps, 'queue' | 'eventBus' | 'log'>): Promise<void> {
    await Promise.all([
      ...this.jobs.map((j) =>
        deps.queue
          .enqueue(j.queue, j.ids, j.options)
          .catch((error: unknown) => deps.log.warn({ err: error, queue: j.queue, ids: j.ids }, 'enqueue failed; the relay will requeue')),
      ),
      deps.eventBus.announce(this.announced).catch((error: unknown) => deps.log.warn({ err: error }, 'live event wake-up failed')),
    ]);
  }
}

/** Runs `work` in a transaction, then the after-commit effects it collected. */
export async function withTransaction<T>(
  deps: Pick<ServiceDeps, 'db' | 'queue' | 'eventBus' | 'log'>,
  work: (trx: Knex.Transaction, after: AfterCommit) => Promise<T>,
): Promise<T> {
  const after = new AfterCommit();
  const result = await deps.db.transaction((trx) => work(trx, after));
  await after.run(deps);
  return result;
}

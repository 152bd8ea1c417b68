import { MAX_IDS_PER_JOB, QUEUE_NAMES, type JobHandler, type JobQueue, type QueueCounts, type QueueName, type QueuedId } from '../../ports/job-queue.js';

type Lane = {
  waiting: QueuedId[];
  delayed: Set<NodeJS.Timeout>;
  active: number;
  completed: number;
  failed: number;
  concurrency: number;
  handler: JobHandler | undefined;
  idle: Array<() => void>;
};

/**
 * The embedded default: jobs live in this process's memory. Nothing is lost by a crash that
 * matters, because the database rows are the truth and the relay requeues due work on restart.
 */
export function createInProcessQueue(options: { onError?: (queue: QueueName, ids: string[], error: unknown) => void } = {}): JobQueue {
  const lanes = new Map<QueueName, Lane>(
    QUEUE_NAMES.map((name) => [name, { waiting: [], delayed: new Set(), active: 0, completed: 0, failed: 0, concurrency: 0, handler: undefined, idle: [] }]),
  );
  let closing = false;
  const lane = (name: QueueName) => lanes.get(name)!;

  const pump = (name: QueueName) => {
    const l = lane(name);
    // Whatever is waiting goes out in batches, as the Redis driver's jobs would carry it.
    while (!closing && l.handler && l.active < l.concurrency && l.waiting.length > 0) {
      const items = l.waiting.splice(0, MAX_IDS_PER_JOB);
      const ids = items.map((item) => item.id);
      l.active += 1;
      l.handler(
        ids,
        items.map((item) => item.copy),
      )
        .then(
          () => void (l.completed += ids.length),
          (error: unknown) => {
            l.failed += ids.length;
            options.onError?.(name, ids, error);
          },
        )
        .finally(() => {
          l.active -= 1;
          if (l.active === 0) l.idle.splice(0).forEach((resolve) => resolve());
          pump(name);
        });
    }
  };

  /**
   * Hands `items` to the lane once the wall clock reaches `runAt`. A timer counts from the event
   * loop's time as of the start of the current turn, which lags the wall clock by however long
   * the turn has run, so it may fire that much early: then it waits for the rest. A job that
   * came early would only be queued again by its worker, after a statement that finds it not due.
   */
  const release = (name: QueueName, items: readonly QueuedId[], runAt: number) => {
    const l = lane(name);
    const delay = runAt - Date.now();
    if (delay <= 0) {
      l.waiting.push(...items);
      pump(name);
      return;
    }
    const timer = setTimeout(() => {
      l.delayed.delete(timer);
      if (!closing) release(name, items, runAt);
    }, delay);
    l.delayed.add(timer);
  };

  return {
    async enqueue(name, ids, opts) {
      if (closing || ids.length === 0) return;
      release(
        name,
        ids.map((id, i) => ({ id, copy: opts?.copies?.[i] })),
        opts?.runAt?.getTime() ?? 0,
      );
    },
    process(name, concurrency, handler) {
      const l = lane(name);
      l.handler = handler;
      l.concurrency = concurrency;
      pump(name);
    },
    async counts() {
      const out = {} as Record<QueueName, QueueCounts>;
      for (const [name, l] of lanes) {
        out[name] = { waiting: l.waiting.length, delayed: l.delayed.size, active: l.active, completed: l.completed, failed: l.failed };
      }
      return out;
    },
    async ready() {},
    async check() {
      if (closing) throw new Error('in-process queue is closed');
    },
    async close(timeoutMs) {
      closing = true;
      for (const l of lanes.values()) {
        l.delayed.forEach(clearTimeout);
        l.delayed.clear();
        l.waiting.length = 0;
      }
      const drained = Promise.all([...lanes.values()].map((l) => (l.active === 0 ? Promise.resolve() : new Promise<void>((r) => l.idle.push(r)))));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

/**
 * Group commit: callers add items one job or request at a time, and `run` gets them in batches,
 * so one SQL statement or one Redis round trip serves many. Nothing waits for a batch to fill:
 * a batch starts as soon as fewer than `maxInFlight` are running, with whatever arrived in the
 * meantime. Idle, every item goes alone at once; under load, batches grow with the backlog.
 */
export type Batcher<T> = {
  /** Resolves once the batch holding `items` ran; rejects with that batch's error. */
  add(items: readonly T[]): Promise<void>;
};

type Waiter<T> = { items: readonly T[]; resolve: () => void; reject: (error: unknown) => void };

export function createBatcher<T>(options: {
  run: (items: T[]) => Promise<void>;
  /** Items per batch at most (a caller's items are never split). */
  maxBatch: number;
  /** Batches running at once at most. */
  maxInFlight: number;
}): Batcher<T> {
  const waiting: Waiter<T>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const takeBatch = (): Waiter<T>[] => {
    const taken: Waiter<T>[] = [];
    let size = 0;
    while (waiting.length > 0 && (taken.length === 0 || size + waiting[0]!.items.length <= options.maxBatch)) {
      const w = waiting.shift()!;
      taken.push(w);
      size += w.items.length;
    }
    return taken;
  };

  const pump = () => {
    scheduled = false;
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = takeBatch();
      inFlight += 1;
      options
        .run(batch.flatMap((w) => w.items))
        .then(
          () => batch.forEach((w) => w.resolve()),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          inFlight -= 1;
          schedule();
        });
    }
  };
  // setImmediate, not a microtask: everything that arrives in this turn of the event loop (all
  // the responses read from one socket, say) joins the same batch.
  const schedule = () => {
    if (scheduled || waiting.length === 0) return;
    scheduled = true;
    setImmediate(pump);
  };

  return {
    add(items) {
      if (items.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiting.push({ items, resolve, reject });
        schedule();
      });
    },
  };
}

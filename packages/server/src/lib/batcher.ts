/**
 * Group commit: callers add items one job or request at a time, and `run` gets them in batches,
 * so one SQL statement or one Redis round trip serves many. Nothing waits for a batch to fill:
 * a batch starts as soon as fewer than `maxInFlight` are running, with whatever arrived in the
 * meantime. Idle, every item goes alone at once; under load, batches grow with the backlog.
 * With `lingerMs`, a batch that is not full waits that long for company first: for work nobody
 * waits on, where one statement per item would cost more than the wait. With `lingerWhileBusyMs`,
 * it waits only if another batch is running when it could start: a lone item still goes at once,
 * and under load the batches grow instead of the statements multiplying. Either wait ends early
 * when the batch fills up. With `startAt`, a batch goes the moment that many items wait (and a
 * slot is free), from inside the turn that adds them: the database works on the first items of a
 * burst while the caller's thread is still handling the rest.
 */
export type Batcher<T, R = void> = {
  /**
   * Resolves with the results of `items` (in order) once the batch holding them ran; rejects
   * with the error of the first of them that failed.
   */
  add(items: readonly T[]): Promise<R[]>;
};

/** An item's result: its value, or the error that failed it alone or with its whole batch. */
export type ItemResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

type Waiter<T, R> = { items: readonly T[]; resolve: (results: R[]) => void; reject: (error: unknown) => void };

/** How a batcher runs its batches and when it starts them. */
export type BatcherOptions<T, R> = {
  /** Runs a batch: returns one result per item, in order, or throws to fail them all. */
  run: (items: T[]) => Promise<ItemResult<R>[]>;
  /** Items per batch at most (a caller's items are never split). */
  maxBatch: number;
  /** Batches running at once at most. */
  maxInFlight: number;
  /** Told the size of every batch as it starts (a metric). */
  onBatch?: (size: number) => void;
  /** How long a batch short of maxBatch waits for more items before it starts (default 0: it does not). */
  lingerMs?: number;
  /** As lingerMs, but only when another batch is running at the time (default 0: it does not). */
  lingerWhileBusyMs?: number;
  /**
   * A batch starts as soon as this many items wait and a slot is free, without waiting for the
   * turn to end (default: it waits; see the pump's comment). For work whose callers come in
   * bursts and wait on it, where the turn's end would send the whole burst as one statement.
   */
  startAt?: number;
};

export function createBatcher<T, R = void>(options: BatcherOptions<T, R>): Batcher<T, R> {
  const waiting: Waiter<T, R>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const takeBatch = (): Waiter<T, R>[] => {
    const taken: Waiter<T, R>[] = [];
    let size = 0;
    while (waiting.length > 0 && (taken.length === 0 || size + waiting[0]!.items.length <= options.maxBatch)) {
      const w = waiting.shift()!;
      taken.push(w);
      size += w.items.length;
    }
    return taken;
  };

  const settle = (batch: Waiter<T, R>[], results: ItemResult<R>[]) => {
    const expected = batch.reduce((n, w) => n + w.items.length, 0);
    if (results.length !== expected) {
      const error = new Error(`batch run returned ${results.length} results for ${expected} items`);
      return batch.forEach((w) => w.reject(error));
    }
    let at = 0;
    for (const w of batch) {
      const mine = results.slice(at, at + w.items.length);
      at += w.items.length;
      const failed = mine.find((r) => !r.ok);
      if (failed && !failed.ok) w.reject(failed.error);
      else w.resolve(mine.map((r) => (r as { value: R }).value));
    }
  };

  const pump = () => {
    scheduled = false;
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = takeBatch();
      const items = batch.flatMap((w) => w.items);
      inFlight += 1;
      options.onBatch?.(items.length);
      options
        .run(items)
        .then(
          (results) => settle(batch, results),
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
  let timer: NodeJS.Timeout | undefined;
  // Counted only where few wait: while a wait runs (fewer than maxBatch), and in add while a slot
  // is free (fewer than startAt, or a backlog that goes at once).
  const waitingItems = () => waiting.reduce((n, w) => n + w.items.length, 0);
  const isShort = () => waitingItems() < options.maxBatch;
  const schedule = () => {
    if (waiting.length === 0) return;
    if (scheduled) {
      // A wait for company ends early only when the batch fills up. One begun while busy lasts
      // even if the batches it waited on finish first: under load that is what makes one
      // statement start per wait, not one per finished statement.
      if (timer && !isShort()) {
        clearTimeout(timer);
        timer = undefined;
        setImmediate(pump);
      }
      return;
    }
    // "Busy": another batch runs and a slot is free. With every slot taken the batch waits for one
    // anyway; with one slot (PGlite), a wait would only keep it idle once it frees.
    const busy = inFlight > 0 && inFlight < options.maxInFlight;
    const linger = Math.max(options.lingerMs ?? 0, busy ? (options.lingerWhileBusyMs ?? 0) : 0);
    scheduled = true;
    if (linger > 0 && isShort()) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, linger);
    } else setImmediate(pump);
  };

  return {
    add(items) {
      if (items.length === 0) return Promise.resolve([]);
      return new Promise<R[]>((resolve, reject) => {
        waiting.push({ items, resolve, reject });
        if (options.startAt !== undefined && inFlight < options.maxInFlight && waitingItems() >= options.startAt) {
          // Now, inside the turn. A wait begun for these items would only delay them; a pump
          // already scheduled takes what arrives after them.
          clearTimeout(timer);
          timer = undefined;
          pump();
        } else schedule();
      });
    },
  };
}

/** For a `run` whose batch succeeds or fails as a whole, with no result per item. */
export const allDone = async <T>(work: (items: T[]) => Promise<unknown>, items: T[]): Promise<ItemResult<void>[]> => {
  await work(items);
  return items.map(() => ({ ok: true, value: undefined }));
};

/**
 * A batcher for work done one way for many items and another for one (a batch statement, a single
 * row's): its batches go to `many`, and should that fail, each item alone to `one`, so one bad item
 * fails only itself; a lone item goes straight to `one` (see batchOrEach).
 */
export function createGroupCommit<T, R = void>({
  many,
  one,
  ...options
}: Omit<BatcherOptions<T, R>, 'run'> & { many: (items: T[]) => Promise<R[]>; one: (item: T) => Promise<R> }): Batcher<T, R> {
  return createBatcher<T, R>({ ...options, run: (items) => batchOrEach(items, many, one) });
}

/**
 * Runs items together with `batch`, and should that fail, each alone with `each`, so one bad
 * item fails only itself (and a lone item goes straight to `each`).
 */
export async function batchOrEach<T, R>(items: T[], batch: (items: T[]) => Promise<R[]>, each: (item: T) => Promise<R>): Promise<ItemResult<R>[]> {
  const alone = (item: T) =>
    each(item).then(
      (value): ItemResult<R> => ({ ok: true, value }),
      (error: unknown): ItemResult<R> => ({ ok: false, error }),
    );
  if (items.length === 1) return [await alone(items[0]!)];
  try {
    return (await batch(items)).map((value) => ({ ok: true, value }));
  } catch {
    return Promise.all(items.map(alone));
  }
}

/**
 * Values read through `load` and kept for `ttlMs` each, for a lookup that every request makes
 * (a merchant by API key). Two things keep the read off the requests' path:
 *
 * - a key in use is read again in the background during the last `refreshAheadShare` of its
 *   time, while the kept value, still within its time, goes on serving; under steady traffic no
 *   request waits for `load` after the first. A value is never served past its time: should the
 *   background read fail or not be done by then, the next request waits for a read of its own;
 * - requests that miss the same key at once share one `load`, instead of one each (a process's
 *   whole backlog of requests for one merchant, the moment its entry expires).
 *
 * `clear()` (a reset that deleted what was kept) also disowns the reads in flight: what they
 * return is handed to their callers, and not kept. Bounded: past `maxEntries`, it starts over
 * (unknown keys, which are kept as misses too, must not grow it forever).
 */
export type RefreshingCache<V> = {
  get(key: string): Promise<V>;
  clear(): void;
};

export function createRefreshingCache<V>(options: {
  load: (key: string) => Promise<V>;
  ttlMs: number;
  /** The share of ttlMs, at its end, during which a kept value that is used is read again (default 0.2). */
  refreshAheadShare?: number;
  now?: () => number;
  maxEntries?: number;
}): RefreshingCache<V> {
  const { load, ttlMs } = options;
  const now = options.now ?? Date.now;
  const refreshWithinMs = ttlMs * (options.refreshAheadShare ?? 0.2);
  const maxEntries = options.maxEntries ?? 10_000;
  const kept = new Map<string, { value: V; expires: number }>();
  const reading = new Map<string, Promise<V>>();

  const read = (key: string): Promise<V> => {
    const inFlight = reading.get(key);
    if (inFlight) return inFlight;
    const promise = load(key).then(
      (value) => {
        // Kept only if nothing disowned this read meanwhile (clear, or a newer read).
        if (reading.get(key) === promise) {
          reading.delete(key);
          if (kept.size >= maxEntries) kept.clear();
          kept.set(key, { value, expires: now() + ttlMs });
        }
        return value;
      },
      (error: unknown) => {
        if (reading.get(key) === promise) reading.delete(key);
        throw error;
      },
    );
    reading.set(key, promise);
    return promise;
  };

  return {
    get(key) {
      const entry = kept.get(key);
      if (entry) {
        const left = entry.expires - now();
        if (left > 0) {
          // A failed background read is not this request's failure: its own value is good, and
          // a request after the expiry reads for itself and fails, if the failure lasts.
          if (left <= refreshWithinMs && !reading.has(key)) read(key).catch(() => {});
          return Promise.resolve(entry.value);
        }
        kept.delete(key);
      }
      return read(key);
    },
    clear() {
      kept.clear();
      reading.clear();
    },
  };
}

import { describe, expect, it } from 'vitest';
import { createRefreshingCache } from './refreshing-cache.js';

/** A load whose reads the test answers one by one, in the order they were made. */
function controlledLoad() {
  const reads: Array<{ key: string; resolve: (value: string) => void; reject: (error: Error) => void }> = [];
  const load = (key: string) => new Promise<string>((resolve, reject) => reads.push({ key, resolve, reject }));
  return { reads, load };
}

/** Whether `promise` has settled once everything already queued has run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((r) => setImmediate(r));
  return settled;
}

/** A cache over a controlled load, on a clock the test sets, holding 'v1' for key_a read at time 0. */
async function cacheHoldingV1() {
  const { reads, load } = controlledLoad();
  const clock = { t: 0 };
  const cache = createRefreshingCache({ load, ttlMs: 5_000, now: () => clock.t });
  const first = cache.get('key_a');
  reads[0]!.resolve('v1');
  await first;
  return { reads, cache, clock };
}

describe('createRefreshingCache', () => {
  it('requests that miss one key at once share one read, and the value is kept for the TTL', async () => {
    const { reads, load } = controlledLoad();
    let t = 0;
    const cache = createRefreshingCache({ load, ttlMs: 5_000, now: () => t });

    const waiting = Array.from({ length: 16 }, () => cache.get('key_a'));
    expect(reads).toHaveLength(1);
    reads[0]!.resolve('merchant A');
    expect(await Promise.all(waiting)).toEqual(Array(16).fill('merchant A'));

    t = 3_999; // before the refresh-ahead window (the last fifth): served, and nothing read
    expect(await cache.get('key_a')).toBe('merchant A');
    expect(reads).toHaveLength(1);
  });

  it('a key in use is read again in its last fifth while the kept value serves, so no request waits', async () => {
    const { reads, cache, clock } = await cacheHoldingV1();

    // In the last fifth: the kept value answers at once, and one background read starts
    clock.t = 4_100;
    expect(await cache.get('key_a')).toBe('v1');
    expect(await cache.get('key_a')).toBe('v1');
    expect(reads).toHaveLength(2);

    // The read lands: its value is kept for a TTL from then (to 9,100), past the first one's expiry
    reads[1]!.resolve('v2');
    await new Promise((r) => setImmediate(r));
    clock.t = 8_000;
    const later = cache.get('key_a');
    expect(await isSettled(later)).toBe(true);
    expect(await later).toBe('v2');
    expect(reads).toHaveLength(2);
  });

  it('never serves a value past its TTL: when the background read failed, the next request waits for its own', async () => {
    const { reads, cache, clock } = await cacheHoldingV1();

    clock.t = 4_500;
    expect(await cache.get('key_a')).toBe('v1');
    reads[1]!.reject(new Error('database down'));
    await new Promise((r) => setImmediate(r));

    // Past the TTL: this request waits for a read of its own, and gets that read's failure
    clock.t = 5_001;
    const expired = cache.get('key_a');
    expect(await isSettled(expired)).toBe(false);
    expect(reads).toHaveLength(3);
    reads[2]!.reject(new Error('database still down'));
    await expect(expired).rejects.toThrow('database still down');

    // And the next one reads again rather than being handed the failure
    const retried = cache.get('key_a');
    expect(reads).toHaveLength(4);
    reads[3]!.resolve('v3');
    expect(await retried).toBe('v3');
  });

  it('clear() drops what is kept and disowns the reads in flight: their callers get the value, the cache does not keep it', async () => {
    const { reads, load } = controlledLoad();
    const cache = createRefreshingCache({ load, ttlMs: 5_000, now: () => 0 });
    const inFlight = cache.get('key_a');
    cache.clear();
    reads[0]!.resolve('read before the reset');
    expect(await inFlight).toBe('read before the reset');

    const after = cache.get('key_a');
    expect(reads).toHaveLength(2);
    reads[1]!.resolve('read after the reset');
    expect(await after).toBe('read after the reset');
  });

  it('keys are kept apart, and past maxEntries it starts over', async () => {
    let loads = 0;
    const cache = createRefreshingCache({ load: async (key) => `${key}#${++loads}`, ttlMs: 5_000, now: () => 0, maxEntries: 2 });
    expect(await cache.get('a')).toBe('a#1');
    expect(await cache.get('b')).toBe('b#2');
    expect(await cache.get('a')).toBe('a#1');
    expect(await cache.get('c')).toBe('c#3'); // the third entry: the cache started over
    expect(await cache.get('a')).toBe('a#4');
  });
});

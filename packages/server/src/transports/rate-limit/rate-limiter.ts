import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { withTimeout } from '../../lib/within.js';

/** The outcome of counting one request. */
export type RateVerdict = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

/**
 * Fixed one-minute windows of requests per subject (`merchant:<id>`, `ip:<address>`), shared by
 * every API process through Redis when there is one, in memory otherwise. A request is counted in
 * its process at once, with no round trip on its path; with Redis, each process sends its counts
 * every SYNC_INTERVAL_MS and learns everyone's from the answer (talliedRedisStore).
 *
 * @remarks Fails open: when Redis is unreachable or slow, each process goes on limiting by the
 * counts it has (what it last learnt of the others, and its own), and one warning is logged per
 * outage (not one per request). Refusing payments because the counter store is down would turn a
 * Redis blip into a full outage; the database is what matters.
 */
export interface RateLimiter {
  readonly limit: number;
  /** Counts one request of `subject`. Never throws. */
  hit(subject: string): Promise<RateVerdict>;
  /**
   * Seconds `subject` must still wait, from what this process last learnt (no round trip), or 0.
   * Used to refuse an address before it may try credentials again.
   */
  blockedFor(subject: string): number;
  /**
   * Sends this process's hits that Redis has not had yet, and learns each window's count across
   * every process; resolves when done, and never rejects (an outage is logged). It runs by itself
   * every SYNC_INTERVAL_MS while there are hits to send; a test or a shutdown may call it.
   */
  sync(): Promise<void>;
}

const WINDOW_MS = 60_000;
/** A sync slower than this is abandoned (its counts stay this process's own): Redis is not answering. */
const STORE_TIMEOUT_MS = 250;
/**
 * How often a process with new hits sends them to Redis. The others see them up to this late: a
 * subject can pass its limit by what it gets through in that time from the other processes.
 */
const SYNC_INTERVAL_MS = 100;
/** Windows a store keeps before it drops the ended ones (many addresses must not grow it forever). */
const WINDOWS_KEPT = 50_000;
const KEY_PREFIX = 'paygate:rate:';

// Adds ARGV[1] hits to the window's count and sets its expiry (ARGV[2] ms) on the first; returns
// the count and the ms left.
const ADD_SCRIPT = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {n, ttl}`;

type Store = {
  /** Counts one hit of `key` and returns its window's count so far and the ms it has left. */
  hit(key: string): { count: number; ttlMs: number };
  sync(): Promise<void>;
};

/** One subject's window in a process: the count it knows of, the hits not yet sent, its end. */
type Window = { counted: number; unsent: number; resetAt: number };

/** The windows of one store, a new one for a subject whose window ended. */
function windowsOf(now: () => number) {
  const windows = new Map<string, Window>();
  return {
    current(key: string): Window {
      const t = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        if (windows.size > WINDOWS_KEPT) for (const [k, old] of windows) if (old.resetAt <= t && old.unsent === 0) windows.delete(k);
        w = { counted: 0, unsent: 0, resetAt: t + WINDOW_MS };
        windows.set(key, w);
      }
      return w;
    },
  };
}

function memoryStore(now: () => number): Store {
  const { current } = windowsOf(now);
  return {
    hit(key) {
      const w = current(key);
      w.counted += 1;
      return { count: w.counted, ttlMs: w.resetAt - now() };
    },
    sync: async () => {},
  };
}

/**
 * Counts in the process and shares the counts through Redis: every SYNC_INTERVAL_MS, the hits not
 * yet sent go in one pipeline, and each answer is that window's count across every process (with
 * Redis's expiry, which starts at a window's first hit anywhere). A request's verdict is the count
 * last learnt plus this process's hits since. Every request made its own EVAL before: with a limit
 * set, that round trip cost a third of `POST /orders`' throughput (docs/performance.md).
 */
function talliedRedisStore(redis: Redis, now: () => number, log: Logger): Store {
  const { current } = windowsOf(now);
  // The windows with hits Redis has not had yet: a sync reads these, not every window kept.
  const unsent = new Map<string, Window>();
  let timer: NodeJS.Timeout | undefined;
  let outage = false;

  const sync = async () => {
    clearTimeout(timer);
    timer = undefined;
    const sending = [...unsent].map(([key, w]) => ({ key, w, hits: w.unsent }));
    unsent.clear();
    if (sending.length === 0) return;
    // Counted as known at once: should the sync fail, they stay this process's own.
    for (const s of sending) {
      s.w.counted += s.hits;
      s.w.unsent = 0;
    }
    try {
      // Queued commands would wait for a reconnect that may take minutes: this sync is skipped.
      if (redis.status !== 'ready') throw new Error(`redis is ${redis.status}`);
      const pipeline = redis.pipeline();
      for (const s of sending) pipeline.eval(ADD_SCRIPT, 1, KEY_PREFIX + s.key, s.hits, WINDOW_MS);
      const replies = (await withTimeout(pipeline.exec(), STORE_TIMEOUT_MS, 'redis (rate limit)')) ?? [];
      const t = now();
      sending.forEach((s, i) => {
        const [error, reply] = replies[i] ?? [new Error('no reply')];
        if (error) throw error;
        const [count, ttlMs] = reply as [number, number];
        // Everyone's hits as of the answer; this process's since then are in `unsent`.
        s.w.counted = count;
        s.w.resetAt = t + ttlMs;
      });
      if (outage) {
        outage = false;
        log.info('rate limit store is back; every API process shares its counts again');
      }
    } catch (error) {
      if (!outage) {
        outage = true;
        log.warn({ err: error }, 'rate limit store unavailable; each API process limits on its own counts until it is back');
      }
    }
  };

  return {
    hit(key) {
      const w = current(key);
      w.unsent += 1;
      unsent.set(key, w);
      timer ??= setTimeout(() => void sync(), SYNC_INTERVAL_MS).unref();
      return { count: w.counted + w.unsent, ttlMs: w.resetAt - now() };
    },
    sync,
  };
}

export function createRateLimiter(options: { limit: number; redis?: Redis | undefined; log: Logger; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const store = options.redis ? talliedRedisStore(options.redis, now, options.log) : memoryStore(now);
  const blockedUntil = new Map<string, number>();

  const allowAll = (): RateVerdict => ({ allowed: true, limit: options.limit, remaining: options.limit, resetSeconds: WINDOW_MS / 1000 });

  return {
    limit: options.limit,
    async hit(subject) {
      if (options.limit <= 0) return allowAll();
      const counted = store.hit(subject);
      const resetSeconds = Math.max(1, Math.ceil(counted.ttlMs / 1000));
      const allowed = counted.count <= options.limit;
      // Spent (this was the last one allowed, or beyond): the next request of this subject waits.
      if (counted.count >= options.limit) {
        if (blockedUntil.size > 50_000) blockedUntil.clear(); // bounded: many addresses must not grow it forever
        blockedUntil.set(subject, now() + counted.ttlMs);
      }
      return { allowed, limit: options.limit, remaining: Math.max(0, options.limit - counted.count), resetSeconds };
    },
    blockedFor(subject) {
      const until = blockedUntil.get(subject);
      if (until === undefined) return 0;
      const left = until - now();
      if (left <= 0) {
        blockedUntil.delete(subject);
        return 0;
      }
      return Math.ceil(left / 1000);
    },
    sync: () => store.sync(),
  };
}

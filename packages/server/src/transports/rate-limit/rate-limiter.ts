import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { withTimeout } from '../../lib/within.js';

/** The outcome of counting one request. */
export type RateVerdict = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

/**
 * Fixed one-minute windows of requests per subject (`merchant:<id>`, `ip:<address>`), shared by
 * every API process through Redis when there is one, in memory otherwise.
 *
 * @remarks Fails open: when Redis is unreachable or slow a request is let through, and one
 * warning is logged per outage (not one per request). Refusing payments because the counter
 * store is down would turn a Redis blip into a full outage; the database is what matters.
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
}

const WINDOW_MS = 60_000;
/** A count slower than this is abandoned (the request goes through): Redis is not answering. */
const STORE_TIMEOUT_MS = 250;
const KEY_PREFIX = 'paygate:rate:';

// INCR and set the window's expiry on its first hit; returns the count and the ms left.
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

type Store = (key: string) => Promise<{ count: number; ttlMs: number }>;

function memoryStore(now: () => number): Store {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return async (key) => {
    const t = now();
    if (windows.size > 50_000) for (const [k, w] of windows) if (w.resetAt <= t) windows.delete(k);
    let w = windows.get(key);
    if (!w || w.resetAt <= t) {
      w = { count: 0, resetAt: t + WINDOW_MS };
      windows.set(key, w);
    }
    w.count += 1;
    return { count: w.count, ttlMs: w.resetAt - t };
  };
}

function redisStore(redis: Redis): Store {
  return async (key) => {
    // Queued commands would wait for a reconnect that may take minutes: go through at once.
    if (redis.status !== 'ready') throw new Error(`redis is ${redis.status}`);
    const [count, ttlMs] = (await withTimeout(redis.eval(HIT_SCRIPT, 1, KEY_PREFIX + key, WINDOW_MS), STORE_TIMEOUT_MS, 'redis (rate limit)')) as [
      number,
      number,
    ];
    return { count, ttlMs };
  };
}

export function createRateLimiter(options: { limit: number; redis?: Redis | undefined; log: Logger; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const store = options.redis ? redisStore(options.redis) : memoryStore(now);
  const blockedUntil = new Map<string, number>();
  let outage = false;

  const allowAll = (): RateVerdict => ({ allowed: true, limit: options.limit, remaining: options.limit, resetSeconds: WINDOW_MS / 1000 });

  return {
    limit: options.limit,
    async hit(subject) {
      if (options.limit <= 0) return allowAll();
      let counted: { count: number; ttlMs: number };
      try {
        counted = await store(subject);
      } catch (error) {
        if (!outage) {
          outage = true;
          options.log.warn({ err: error }, 'rate limit store unavailable; requests are not rate limited until it is back');
        }
        return allowAll();
      }
      if (outage) {
        outage = false;
        options.log.info('rate limit store is back; rate limits apply again');
      }
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
  };
}

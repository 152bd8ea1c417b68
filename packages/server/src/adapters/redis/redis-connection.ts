import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Our own Redis work (pub/sub, rate limits, counters, script checks) goes through ioredis. */
export function createRedisConnection(url: string, options: { log: Logger; name?: string }): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, connectionName: options.name ?? 'paygate' });
  redis.on('error', (err) => options.log.warn({ err: err.message }, 'redis connection error'));
  return redis;
}

/** node-redis waits at most this long between two reconnect attempts (its own backoff grows without bound). */
const QUEUE_RECONNECT_MAX_DELAY_MS = 2_000;
/**
 * node-redis gives up for good once its retries add up to `connect_timeout` (one hour by default),
 * even with a retry strategy, and the queue is then dead until the process restarts. Take the
 * largest value a Node timer accepts (~24.8 days): a longer value would overflow to 1 ms.
 */
const QUEUE_GIVE_UP_AFTER_MS = 2 ** 31 - 1;

export type BeeQueueRedisOptions = {
  host: string;
  port: number;
  db: number;
  password?: string;
  connect_timeout: number;
  retry_strategy: (attempt: { attempt: number }) => number;
};

/**
 * bee-queue bundles node-redis v3 and ignores an ioredis client passed as `redis` (STACK.md): it
 * must get plain connection options, parsed here from REDIS_URL. Its clients reconnect every
 * 100 ms, 200 ms, … up to 2 s for as long as Redis is away, rather than stopping after an hour.
 */
export function beeQueueRedisOptions(url: string): BeeQueueRedisOptions {
  const u = new URL(url);
  const db = Number(u.pathname.replace('/', '') || '0');
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || '6379'),
    db: Number.isInteger(db) ? db : 0,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    connect_timeout: QUEUE_GIVE_UP_AFTER_MS,
    retry_strategy: ({ attempt }) => Math.min(attempt * 100, QUEUE_RECONNECT_MAX_DELAY_MS),
  };
}

import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Our own Redis work (pub/sub, rate limits, counters, script checks) goes through ioredis. */
export function createRedisConnection(url: string, options: { log: Logger; name?: string }): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, connectionName: options.name ?? 'paygate' });
  redis.on('error', (err) => options.log.warn({ err: err.message }, 'redis connection error'));
  return redis;
}

/**
 * bee-queue bundles node-redis v3 and ignores an ioredis client passed as `redis` (STACK.md): it
 * must get plain connection options, parsed here from REDIS_URL.
 */
export function beeQueueRedisOptions(url: string): { host: string; port: number; db: number; password?: string } {
  const u = new URL(url);
  const db = Number(u.pathname.replace('/', '') || '0');
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || '6379'),
    db: Number.isInteger(db) ? db : 0,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

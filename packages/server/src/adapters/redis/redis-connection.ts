import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * All of Paygate's Redis work (queue, pub/sub, rate limits, counters) goes through ioredis, which
 * reconnects for as long as Redis is away (every 50 ms more between tries, 2 s at the most).
 *
 * @param options.maxRetriesPerRequest  reconnections a command waits through before it fails
 *   (3); `null` waits for as long as it takes (a worker's blocking pop).
 */
export function createRedisConnection(url: string, options: { log: Logger; name?: string; maxRetriesPerRequest?: number | null }): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 3 : options.maxRetriesPerRequest,
    connectionName: options.name ?? 'paygate',
  });
  redis.on('error', (err) => options.log.warn({ err: err.message }, 'redis connection error'));
  return redis;
}

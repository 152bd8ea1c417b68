import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * All of Paygate's Redis work (queue, pub/sub, rate limits, counters) goes through ioredis, which
 * reconnects for as long as Redis is away (every 50 ms more between tries, 2 s at the most).
 *
 * @param options.maxRetriesPerRequest  reconnections a command waits through before it fails
 *   (3); `null` waits for as long as it takes (a worker's blocking pop).
 * @param options.subscriber  a connection for SUBSCRIBE only. ioredis checks a new connection
 *   with INFO before it calls it ready, and a SUBSCRIBE sent between the two (once the socket is
 *   up, while INFO is on its way) puts the connection in subscriber mode, where INFO fails: the
 *   connection drops, and comes back without the channel, whose subscription had been
 *   confirmed. A subscriber skips the check: pub/sub does not wait for Redis to load its data.
 */
export function createRedisConnection(url: string, options: { log: Logger; name?: string; maxRetriesPerRequest?: number | null; subscriber?: boolean }): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 3 : options.maxRetriesPerRequest,
    connectionName: options.name ?? 'paygate',
    ...(options.subscriber ? { enableReadyCheck: false } : {}),
  });
  redis.on('error', (err) => options.log.warn({ err: err.message }, 'redis connection error'));
  return redis;
}

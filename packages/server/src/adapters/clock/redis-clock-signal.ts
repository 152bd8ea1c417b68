import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { within } from '../../lib/within.js';
import { createRedisConnection } from '../redis/redis-connection.js';
import type { ClockMoveSignal } from '../../ports/clock.js';

/**
 * Channels are one namespace for a whole Redis server, whatever the database: the channel names
 * the database, so that deployments (or test suites) on one Redis do not read each other's clocks
 * for nothing.
 */
const channelOf = (redis: Redis) => `paygate:clock:moved:${redis.options.db ?? 0}`;
/** An announcement Redis has not taken by then is given up: the others' own reads catch the move. */
const ANNOUNCE_TIMEOUT_MS = 500;

/**
 * Test mode's clock moves over Redis pub/sub, for a deployment of several processes: an API
 * process advances the clock, and the workers read it as soon as the PUBLISH reaches them, not at
 * their next look. The subscriber is a connection of its own (a subscribed connection takes no
 * other command), opened by {@link ClockMoveSignal.watch}.
 *
 * @param options.publisher  the process's shared connection.
 */
export function createRedisClockSignal(options: { redisUrl: string; publisher: Redis; log: Logger }): ClockMoveSignal {
  const { publisher, log } = options;
  const channel = channelOf(publisher);
  let subscriber: Redis | undefined;
  return {
    async announce() {
      // ioredis would hold the command until Redis is back (and the request that moved the clock
      // with it): the move is committed already, so give up at once and say so.
      if (publisher.status !== 'ready') {
        log.warn({ redis: publisher.status }, 'test clock moved, but Redis is away: other processes see it at their next read');
        return;
      }
      const published = publisher.publish(channel, '').then(
        () => true,
        () => false,
      );
      if (!(await within(published, ANNOUNCE_TIMEOUT_MS)) || !(await published)) {
        log.warn('test clock moved, but Redis did not take the announcement: other processes see it at their next read');
      }
    },
    async watch(onMove) {
      const connection = createRedisConnection(options.redisUrl, { log, name: 'paygate-clock', subscriber: true });
      subscriber = connection;
      connection.on('message', (heard: string) => {
        if (heard === channel) onMove();
      });
      // Back after a reconnection, the moves announced meanwhile were not heard: subscribe again
      // (ioredis does too; a second SUBSCRIBE of a channel changes nothing) and read once Redis
      // confirms it, so that a move announced in between is not missed either.
      let connectedBefore = false;
      connection.on('ready', () => {
        if (connectedBefore) connection.subscribe(channel).then(onMove, () => undefined);
        connectedBefore = true;
      });
      await connection.subscribe(channel);
    },
    async close() {
      // QUIT waits for a Redis that may be gone: give it a moment, then drop the socket.
      if (subscriber && !(await within(subscriber.quit(), ANNOUNCE_TIMEOUT_MS))) subscriber.disconnect();
    },
  };
}

import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { allDone, createBatcher } from '../../lib/batcher.js';
import { within } from '../../lib/within.js';
import { createRedisConnection } from '../redis/redis-connection.js';
import type { EventBus, LiveEvent } from '../../ports/event-bus.js';

const channel = (merchantId: string) => `paygate:events:${merchantId}`;

/**
 * Cross-process live events over Redis pub/sub: a worker settles a payment, and `pg-cli listen`
 * attached to any API process sees it. The subscriber connection opens on first subscribe.
 */
export function createRedisEventBus(options: { redisUrl: string; publisher: Redis; log: Logger }): EventBus {
  let subscriber: Redis | undefined;
  const listeners = new Map<string, Set<(e: LiveEvent) => void>>();
  // Per subscribed merchant: the SUBSCRIBE's confirmation (messages before it are not received).
  const confirmations = new Map<string, Promise<void>>();
  // The events of every request in flight go out in one pipeline: one socket write, not one each.
  const publisher = createBatcher<LiveEvent>({
    run: (events) =>
      allDone(async (batch: LiveEvent[]) => {
        // Live events are best effort, and ioredis would hold them (and the requests that
        // publish them) until it reconnects: while Redis is away, drop them at once. The events
        // table keeps them for a stream that resumes with Last-Event-ID.
        if (options.publisher.status !== 'ready') throw new Error(`redis is ${options.publisher.status}; live events dropped`);
        // One message per merchant carries all of its events of the batch: a payment's three
        // events cost Redis one PUBLISH (or less, under load), not three.
        const byMerchant = new Map<string, LiveEvent[]>();
        for (const e of batch) {
          const list = byMerchant.get(e.merchantId);
          if (list) list.push(e);
          else byMerchant.set(e.merchantId, [e]);
        }
        const pipeline = options.publisher.pipeline();
        for (const [merchantId, list] of byMerchant) pipeline.publish(channel(merchantId), JSON.stringify(list.length === 1 ? list[0] : list));
        await pipeline.exec();
      }, events),
    maxBatch: 1_000,
    maxInFlight: 2,
  });

  const ensureSubscriber = () => {
    if (subscriber) return subscriber;
    subscriber = createRedisConnection(options.redisUrl, { log: options.log, name: 'paygate-events' });
    subscriber.on('message', (ch: string, message: string) => {
      const merchantId = ch.slice(channel('').length);
      const set = listeners.get(merchantId);
      if (!set) return;
      let parsed: LiveEvent | LiveEvent[];
      try {
        parsed = JSON.parse(message) as LiveEvent | LiveEvent[];
      } catch (err) {
        // Someone else published on our channel: not worth a crash.
        options.log.warn({ err, channel: ch }, 'event bus message is not JSON; ignored');
        return;
      }
      // A message is one event, or a merchant's events of one batch in order.
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) for (const l of set) l(event);
    });
    return subscriber;
  };

  return {
    async publish(events) {
      await publisher.add(events);
    },
    subscribe(merchantId, listener) {
      let set = listeners.get(merchantId);
      if (!set) {
        set = new Set();
        listeners.set(merchantId, set);
        const confirmed = ensureSubscriber()
          .subscribe(channel(merchantId))
          .then(() => undefined);
        confirmed.catch((error: unknown) => options.log.warn({ err: error, merchantId }, 'event bus subscribe failed'));
        confirmations.set(merchantId, confirmed);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) {
          listeners.delete(merchantId);
          confirmations.delete(merchantId);
          subscriber?.unsubscribe(channel(merchantId)).catch(() => undefined);
        }
      };
    },
    ready(merchantId) {
      return confirmations.get(merchantId) ?? Promise.resolve();
    },
    async close() {
      listeners.clear();
      confirmations.clear();
      // QUIT waits for a Redis that may be gone: give it a moment, then drop the socket.
      if (subscriber && !(await within(subscriber.quit(), 500))) subscriber.disconnect();
    },
  };
}

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@paygate/core';
import { createRedisEventBus } from '../../src/adapters/events/redis-event-bus.js';
import { createLogger } from '../../src/logger.js';
import { REDIS_TEST_URL, serviceAvailable } from '../helpers/services.js';

const redisUrl = (() => {
  const u = new URL(REDIS_TEST_URL);
  u.pathname = '/13'; // this suite's database (pub/sub channels are global; the merchant ids here are random)
  return u.toString();
})();

describe.skipIf(!(await serviceAvailable('redis')))('Redis event bus', () => {
  let publisher: Redis;
  beforeAll(() => {
    publisher = new Redis(redisUrl);
  });
  afterAll(async () => {
    await publisher?.quit();
  });

  it('ready() resolves once Redis has confirmed the subscription: a wake-up published right after always arrives', async () => {
    const bus = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent') });
    try {
      const woken: string[] = [];
      const subscribed: string[] = [];
      // A fresh channel each time: each is a new SUBSCRIBE to wait for.
      for (let i = 0; i < 20; i += 1) {
        const merchantId = `mch_${newId('event').slice(4)}`;
        subscribed.push(merchantId);
        bus.subscribe(merchantId, () => woken.push(merchantId));
        await bus.ready(merchantId);
        // Every other one in the format of the version before wake-ups (a whole event), which a
        // rolling upgrade still has some processes publish: it wakes the stream just the same.
        const message = i % 2 ? JSON.stringify({ merchantId, envelope: { id: newId('event') } }) : JSON.stringify({ merchantId });
        await publisher.publish(`paygate:events:${merchantId}`, message);
      }
      await expect.poll(() => woken.length, { timeout: 5_000 }).toBe(subscribed.length);
      expect(woken).toEqual(subscribed);
    } finally {
      await bus.close();
    }
  });

  it('announces each merchant of a batch with one message, however many of its events committed, and wakes only its subscribers', async () => {
    const bus = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent') });
    const [a, b, c] = [`mch_${newId('event').slice(4)}`, `mch_${newId('event').slice(4)}`, `mch_${newId('event').slice(4)}`];
    // A bare subscriber sees what goes over the wire.
    const wire = new Redis(redisUrl);
    try {
      const messages: Array<{ channel: string; message: string }> = [];
      await wire.subscribe(`paygate:events:${a}`, `paygate:events:${b}`, `paygate:events:${c}`);
      wire.on('message', (channel: string, message: string) => messages.push({ channel, message }));
      const wakeUps = new Map([a, b, c].map((m) => [m, 0]));
      for (const m of [a, b, c]) bus.subscribe(m, () => wakeUps.set(m, wakeUps.get(m)! + 1));
      await Promise.all([bus.ready(a), bus.ready(b), bus.ready(c)]);

      // When three events of a and one of b commit together
      await bus.announce([a, b, a, a]);

      // Then a and b are woken once each, and c not at all. The bus shares `publisher`'s
      // connection, so all it sent arrives before this marker on c does, at `wire` and at the bus.
      await publisher.publish(`paygate:events:${c}`, 'end');
      await expect.poll(() => wakeUps.get(c), { timeout: 5_000 }).toBe(1); // any message on a channel wakes its streams
      await expect.poll(() => messages.some((m) => m.message === 'end'), { timeout: 5_000 }).toBe(true);
      expect(wakeUps.get(a)).toBe(1);
      expect(wakeUps.get(b)).toBe(1);
      // And each message names only its merchant: no event travels (streams read them from the database)
      expect(messages.slice(0, -1).sort((x, y) => (x.channel < y.channel ? -1 : 1))).toEqual(
        [a, b].sort().map((m) => ({ channel: `paygate:events:${m}`, message: JSON.stringify({ merchantId: m }) })),
      );
    } finally {
      await wire.quit();
      await bus.close();
    }
  });
});

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@paygate/core';
import type { LiveEvent } from '../../src/ports/event-bus.js';
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

  it('ready() resolves once Redis has confirmed the subscription: an event published right after always arrives', async () => {
    const bus = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent') });
    try {
      const received: string[] = [];
      const sent: string[] = [];
      // A fresh channel each time: each is a new SUBSCRIBE to wait for.
      for (let i = 0; i < 20; i += 1) {
        const merchantId = `mch_${newId('event').slice(4)}`;
        bus.subscribe(merchantId, (e: LiveEvent) => received.push(e.envelope.id));
        await bus.ready(merchantId);
        const id = newId('event');
        sent.push(id);
        await publisher.publish(`paygate:events:${merchantId}`, JSON.stringify({ merchantId, envelope: { id } }));
      }
      await expect.poll(() => received.length, { timeout: 5_000 }).toBe(sent.length);
      expect(received).toEqual(sent);
    } finally {
      await bus.close();
    }
  });

  it('publishes each merchant one message per batch, and its subscribers get the events one by one, in order', async () => {
    const bus = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent') });
    const [a, b] = [`mch_${newId('event').slice(4)}`, `mch_${newId('event').slice(4)}`];
    // A bare subscriber counts what goes over the wire.
    const wire = new Redis(redisUrl);
    try {
      const messages: string[] = [];
      await wire.subscribe(`paygate:events:${a}`, `paygate:events:${b}`);
      wire.on('message', (channel: string, message: string) => messages.push(message === 'end' ? 'end' : channel));
      const received = new Map<string, string[]>([
        [a, []],
        [b, []],
      ]);
      for (const m of [a, b]) bus.subscribe(m, (e: LiveEvent) => received.get(m)!.push(e.envelope.id));
      await Promise.all([bus.ready(a), bus.ready(b)]);

      const event = (merchantId: string) => ({ merchantId, envelope: { id: newId('event') } }) as unknown as LiveEvent;
      const batch = [event(a), event(b), event(a), event(a)];
      await bus.publish(batch);

      const idsOf = (m: string) => batch.filter((e) => e.merchantId === m).map((e) => e.envelope.id);
      await expect.poll(() => received.get(a)!.length + received.get(b)!.length, { timeout: 5_000 }).toBe(batch.length);
      expect(received.get(a)).toEqual(idsOf(a));
      expect(received.get(b)).toEqual(idsOf(b));
      // Three events of merchant a went as one message; b's single event as another. The bus
      // shares `publisher`'s connection, so what it sent reaches `wire` before this marker does.
      await publisher.publish(`paygate:events:${a}`, 'end');
      await expect.poll(() => messages.includes('end'), { timeout: 5_000 }).toBe(true);
      expect(messages.slice(0, -1).sort()).toEqual([`paygate:events:${a}`, `paygate:events:${b}`].sort());
    } finally {
      await wire.quit();
      await bus.close();
    }
  });
});

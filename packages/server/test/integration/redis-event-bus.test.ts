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
});

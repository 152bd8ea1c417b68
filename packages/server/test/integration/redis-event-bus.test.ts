import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@paygate/core';
import { createRedisEventBus } from '../../src/adapters/events/redis-event-bus.js';
import { createLogger } from '../../src/logger.js';
import { redisTestUrl, serviceAvailable } from '../helpers/services.js';

const redisUrl = redisTestUrl('eventBus');

/** A merchant id of its own for each test: pub/sub channels are shared by every suite on this Redis. */
const newMerchantId = () => `mch_${newId('event').slice(4)}`;

describe.skipIf(!(await serviceAvailable('redis')))('Redis event bus', () => {
  let publisher: Redis;
  beforeAll(async () => {
    publisher = new Redis(redisUrl);
    await publisher.ping(); // ready: the bus drops wake-ups while its publisher is still connecting
  });
  afterAll(async () => {
    await publisher?.quit();
  });

  it('ready() resolves once Redis has confirmed the subscription: a wake-up published right after always arrives', async () => {
    // quietMs 0: no wake-ups on a timer, only those published
    const bus = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent'), quietMs: 0 });
    try {
      const woken: string[] = [];
      const subscribed: string[] = [];
      // A fresh channel each time: each is a new SUBSCRIBE to wait for.
      for (let i = 0; i < 20; i += 1) {
        const merchantId = newMerchantId();
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

  it('keeps every subscription made while its connection to Redis is still being set up', async () => {
    const bus = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent'), quietMs: 0 });
    try {
      // Given streams subscribing one after another from the moment the bus opens its subscriber
      // connection, through the handshake (some land while ioredis checks the new connection)
      const merchants: string[] = [];
      const woken = new Set<string>();
      const started = performance.now();
      while (performance.now() - started < 30) {
        const m = newMerchantId();
        merchants.push(m);
        bus.subscribe(m, () => woken.add(m));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(merchants.map((m) => bus.ready(m)));

      // When each merchant's wake-up is published
      for (const m of merchants) await publisher.publish(`paygate:events:${m}`, JSON.stringify({ merchantId: m }));

      // Then every one of them wakes its stream: none of the subscriptions was dropped
      await expect.poll(() => woken.size, { timeout: 5_000 }).toBe(merchants.length);
    } finally {
      await bus.close();
    }
  });

  it('skips a merchant for quietMs once a wake-up reached nobody, but not once this process listens to it', async () => {
    const bus = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent'), quietMs: 60_000 });
    // Another process's bus, which never wakes its subscribers on a timer: only what is published reaches them.
    const other = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent'), quietMs: 0 });
    const m = newMerchantId();
    // MONITOR sees every command Redis runs (other suites' too: only this merchant's channels count).
    const monitorClient = new Redis(redisUrl);
    const monitor = await monitorClient.monitor();
    try {
      const published: string[] = [];
      monitor.on('monitor', (_time: string, args: string[]) => {
        if (args[0]?.toLowerCase() === 'publish' && args[1]?.startsWith(`paygate:events:${m}`)) published.push(args[1]);
      });
      // Everything the bus sent goes through `publisher` before a marker sent on it afterwards.
      let markers = 0;
      const publishedUpToHere = async () => {
        const marker = `paygate:events:${m}:marker${(markers += 1)}`;
        await publisher.publish(marker, 'marker');
        await expect.poll(() => published.includes(marker), { timeout: 5_000 }).toBe(true);
        return published.filter((ch) => !ch.includes(':marker')).length;
      };

      // Given a wake-up for a merchant nobody listens to: it is published, and reaches nobody
      await bus.announce([m]);
      expect(await publishedUpToHere()).toBe(1);

      // When more of its events commit, even once another process's stream has subscribed
      const wokenElsewhere: number[] = [];
      other.subscribe(m, () => wokenElsewhere.push(1));
      await other.ready(m);
      await bus.announce([m]);
      await bus.announce([m, m]);

      // Then the bus stays quiet about it (which is why a bus wakes its new subscribers on a timer for quietMs)
      expect(await publishedUpToHere()).toBe(1);
      expect(wokenElsewhere).toEqual([]);

      // And once a stream of this process listens, its wake-ups go out at once, to every process
      const wokenHere: number[] = [];
      bus.subscribe(m, () => wokenHere.push(1));
      await bus.ready(m);
      await bus.announce([m]);
      expect(await publishedUpToHere()).toBe(2);
      await expect.poll(() => wokenElsewhere.length, { timeout: 5_000 }).toBe(1);
      expect(wokenHere.length).toBeGreaterThan(0);
    } finally {
      monitorClient.disconnect();
      await other.close();
      await bus.close();
    }
  });

  it('wakes a new subscriber on its own every 50 ms after its subscription is confirmed, nothing announced, and not once unsubscribed', async () => {
    const bus = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent'), quietMs: 60_000 });
    const [m, n] = [newMerchantId(), newMerchantId()];
    try {
      const woken = new Map([
        [m, 0],
        [n, 0],
      ]);
      const unsubscribeM = bus.subscribe(m, () => woken.set(m, woken.get(m)! + 1));
      bus.subscribe(n, () => woken.set(n, woken.get(n)! + 1));
      await Promise.all([bus.ready(m), bus.ready(n)]);
      // Publishers that skipped these merchants would leave them unwoken: the bus wakes them itself
      await expect.poll(() => Math.min(woken.get(m)!, woken.get(n)!), { timeout: 5_000 }).toBeGreaterThanOrEqual(3);

      // Once m's last subscriber leaves, m is woken no more, and n still is
      unsubscribeM();
      const mAtUnsubscribe = woken.get(m);
      const nAtUnsubscribe = woken.get(n)!;
      await expect.poll(() => woken.get(n), { timeout: 5_000 }).toBeGreaterThanOrEqual(nAtUnsubscribe + 3);
      expect(woken.get(m)).toBe(mAtUnsubscribe);
    } finally {
      await bus.close();
    }
  });

  it('publishes a wake-up that reached nobody again once quietMs has passed', async () => {
    const quietMs = 200;
    const bus = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent'), quietMs });
    const m = newMerchantId();
    const listener = new Redis(redisUrl);
    try {
      const firstAnnounced = performance.now();
      await listener.ping(); // ready: a SUBSCRIBE during ioredis's ready check would be lost (see redis-connection.ts)
      await bus.announce([m]); // reaches nobody: the bus goes quiet about m
      const messages: string[] = [];
      listener.on('message', (_channel: string, message: string) => messages.push(message));
      await listener.subscribe(`paygate:events:${m}`);

      // Announced over and over, the wake-up reaches the new listener again, and not before the window ended
      await expect
        .poll(
          async () => {
            await bus.announce([m]);
            return messages.length;
          },
          { timeout: 5_000, interval: 20 },
        )
        .toBeGreaterThan(0);
      expect(performance.now() - firstAnnounced).toBeGreaterThanOrEqual(quietMs);
    } finally {
      await listener.quit();
      await bus.close();
    }
  });

  it('announces each merchant of a batch with one message, however many of its events committed, and wakes only its subscribers', async () => {
    const bus = createRedisEventBus({ redisUrl, publisher, log: createLogger('silent'), quietMs: 0 });
    const [a, b, c] = [newMerchantId(), newMerchantId(), newMerchantId()];
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

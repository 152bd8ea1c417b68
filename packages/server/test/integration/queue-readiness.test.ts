import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Redis } from 'ioredis';
import { createBeeQueue } from '../../src/adapters/queue/bee-queue.js';
import { beeQueueRedisOptions, createRedisConnection } from '../../src/adapters/redis/redis-connection.js';
import { ProcessGroup, freePort, hasBinary, startRedisServer } from '../helpers/processes.js';

const log = pino({ level: 'silent' });

describe('the queue connection bee-queue keeps (node-redis)', () => {
  it('reconnects for as long as Redis is away, every 2 s at the most, instead of giving up after an hour', () => {
    const options = beeQueueRedisOptions('redis://:s3cret@10.0.0.5:6380/3');
    expect(options).toMatchObject({ host: '10.0.0.5', port: 6380, db: 3, password: 's3cret' });
    const delays = [1, 2, 5, 20, 1_000, 100_000].map((attempt) => options.retry_strategy({ attempt }));
    expect(delays).toEqual([100, 200, 500, 2_000, 2_000, 2_000]);
    // node-redis stops for good once its retries add up to connect_timeout; a Node timer above
    // 2^31-1 ms overflows to 1 ms, so this is the longest it can be.
    expect(options.connect_timeout).toBe(2 ** 31 - 1);
  });
});

const redisServerHere = hasBinary('redis-server');
if (!redisServerHere && process.env['CI'] !== 'true') console.warn('[paygate] SKIPPED: queue readiness needs redis-server on PATH');

describe.skipIf(!redisServerHere && process.env['CI'] !== 'true')('readiness of the bee-queue driver', () => {
  const group = new ProcessGroup();
  afterAll(async () => group.killAll());

  it("reports the queue down while its own connections are, though the ping's connection is up, and up again once they reconnect", async () => {
    const port = await freePort();
    await startRedisServer(group, port);
    const url = `redis://127.0.0.1:${port}/0`;
    const redis = createRedisConnection(url, { log, name: 'paygate-ping' });
    const admin = new Redis(url, { connectionName: 'test-admin' });
    const queue = createBeeQueue({ redisUrl: url, isWorker: false, redis, log });
    /** What the readiness check says of the queue: 'up', or why not. */
    const queueState = () =>
      queue.check().then(
        () => 'up',
        (error: Error) => error.message,
      );
    try {
      await queue.ready();
      await expect(queue.check()).resolves.toBeUndefined();

      // Redis now wants a password the queue's clients do not have: drop their connections (only
      // theirs: the named ones stay), so they keep failing to come back.
      await admin.config('SET', 'requirepass', 'now-required');
      const clients = (await admin.client('LIST')) as string;
      const queueClients = clients
        .split('\n')
        .filter((line) => line.includes('id=') && !/name=(paygate-ping|test-admin)\b/.test(line))
        .map((line) => /id=(\d+)/.exec(line)![1]!);
      expect(queueClients.length).toBeGreaterThan(0);
      for (const id of queueClients) await admin.client('KILL', 'ID', id);

      await expect.poll(queueState, { timeout: 10_000 }).toMatch(/bee-queue connection down/);
      expect(await redis.ping()).toBe('PONG'); // the ping alone would have said ready

      await admin.config('SET', 'requirepass', '');
      await expect.poll(queueState, { timeout: 10_000 }).toBe('up');
      await expect(queue.enqueue('payments', ['pay_0000000000000001'])).resolves.toBeUndefined();
    } finally {
      await queue.close(1_000);
      redis.disconnect();
      admin.disconnect();
    }
  });
});

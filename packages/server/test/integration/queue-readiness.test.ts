import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Redis } from 'ioredis';
import { createRedisListQueue } from '../../src/adapters/queue/redis-list-queue.js';
import { createRedisConnection } from '../../src/adapters/redis/redis-connection.js';
import { ProcessGroup, freePort, hasBinary, startRedisServer } from '../helpers/processes.js';

const log = pino({ level: 'silent' });

const redisServerHere = hasBinary('redis-server');
if (!redisServerHere && process.env['CI'] !== 'true') console.warn('[paygate] SKIPPED: queue readiness needs redis-server on PATH');

describe.skipIf(!redisServerHere && process.env['CI'] !== 'true')('readiness of the Redis list queue', () => {
  const group = new ProcessGroup();
  afterAll(async () => group.killAll());

  it("reports a worker's queue down while its blocking connections are, though the ping's connection is up, and up again once they reconnect", async () => {
    const port = await freePort();
    await startRedisServer(group, port);
    const url = `redis://127.0.0.1:${port}/0`;
    const redis = createRedisConnection(url, { log, name: 'paygate-ping' });
    const admin = new Redis(url, { connectionName: 'test-admin' });
    const queue = createRedisListQueue({ redisUrl: url, isWorker: true, redis, log });
    const settled: string[] = [];
    queue.process('payments', 2, async (ids) => void settled.push(...ids));
    /** What the readiness check says of the queue: 'up', or why not. */
    const queueState = () =>
      queue.check().then(
        () => 'up',
        (error: Error) => error.message,
      );
    try {
      await queue.ready();
      await expect(queue.check()).resolves.toBeUndefined();

      // Redis now wants a password the queue's blocking connections do not have: drop them (only
      // them: the named ones stay), so they keep failing to come back.
      await admin.config('SET', 'requirepass', 'now-required');
      const clients = (await admin.client('LIST')) as string;
      const queueClients = clients
        .split('\n')
        .filter((line) => /name=paygate-queue-/.test(line))
        .map((line) => /id=(\d+)/.exec(line)![1]!);
      expect(queueClients.length).toBeGreaterThan(0);
      for (const id of queueClients) await admin.client('KILL', 'ID', id);

      await expect.poll(queueState, { timeout: 10_000 }).toMatch(/queue connection down for queue payments/);
      expect(await redis.ping()).toBe('PONG'); // the ping alone would have said ready

      await admin.config('SET', 'requirepass', '');
      await expect.poll(queueState, { timeout: 10_000 }).toBe('up');
      // And the worker takes jobs again: its pop was sent again on reconnect.
      await queue.enqueue('payments', ['pay_0000000000000001']);
      await expect.poll(() => settled, { timeout: 10_000 }).toEqual(['pay_0000000000000001']);
    } finally {
      await queue.close(1_000);
      redis.disconnect();
      admin.disconnect();
    }
  });
});

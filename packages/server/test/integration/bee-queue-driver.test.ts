import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BeeQueue from 'bee-queue';
import pino from 'pino';
import type { Redis } from 'ioredis';
import { createBeeQueue } from '../../src/adapters/queue/bee-queue.js';
import type { JobQueue } from '../../src/ports/job-queue.js';
import { beeQueueRedisOptions, createRedisConnection } from '../../src/adapters/redis/redis-connection.js';
import { REDIS_TEST_URL, serviceAvailable } from '../helpers/services.js';

const ready = await serviceAvailable('redis');
const url = new URL(REDIS_TEST_URL);
url.pathname = '/14'; // a database of its own: FLUSHDB here touches nothing else
const REDIS_URL = url.toString();
const log = pino({ level: 'silent' });

describe.skipIf(!ready)('bee-queue driver on Redis', () => {
  let redis: Redis;
  let producer: JobQueue;
  let worker: JobQueue;
  beforeAll(async () => {
    redis = createRedisConnection(REDIS_URL, { log });
    await redis.flushdb();
    producer = createBeeQueue({ redisUrl: REDIS_URL, isWorker: false, redis, log });
    worker = createBeeQueue({ redisUrl: REDIS_URL, isWorker: true, redis, log, consumers: 2 });
  });
  afterAll(async () => {
    await producer?.close(1_000);
    await worker?.close(1_000);
    await redis?.quit();
  });

  it('carries the ids of concurrent enqueues in shared jobs, and hands every id to a handler exactly once', async () => {
    const batches: string[][] = [];
    worker.process('payments', 4, async (ids) => void batches.push(ids));
    const ids = Array.from({ length: 300 }, (_, i) => `pay_${String(i).padStart(16, '0')}`);
    // 300 callers at once, as 300 requests in flight would
    await Promise.all(ids.map((id) => producer.enqueue('payments', [id])));
    await expect.poll(() => batches.flat().length, { timeout: 10_000 }).toBe(ids.length);
    expect(batches.flat().sort()).toEqual(ids);
    expect(batches.length).toBeLessThan(ids.length / 2); // shared jobs, not one per id
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(100); // MAX_IDS_PER_JOB
    await expect.poll(async () => (await worker.counts()).payments.completed).toBe(ids.length); // counts ids
  });

  it('still runs a job queued in the old one-id shape (a rolling upgrade leaves some in Redis)', async () => {
    const seen: string[][] = [];
    worker.process('refunds', 1, async (ids) => void seen.push(ids));
    const old = new BeeQueue('refunds', { prefix: 'paygate', redis: beeQueueRedisOptions(REDIS_URL), isWorker: false, getEvents: false });
    await old.createJob({ id: 'rfnd_0000000000000001' }).setId('rfnd_0000000000000001').save();
    await old.close();
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual([['rfnd_0000000000000001']]);
  });
});

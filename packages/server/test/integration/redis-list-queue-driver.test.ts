import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Redis } from 'ioredis';
import { createRedisListQueue } from '../../src/adapters/queue/redis-list-queue.js';
import type { JobQueue } from '../../src/ports/job-queue.js';
import { createRedisConnection } from '../../src/adapters/redis/redis-connection.js';
import { redisTestUrl, serviceAvailable } from '../helpers/services.js';

const ready = await serviceAvailable('redis');
const REDIS_URL = redisTestUrl('queueDriver'); // FLUSHDB here touches nothing else
const log = pino({ level: 'silent' });

describe.skipIf(!ready)('Redis list queue driver', () => {
  let redis: Redis;
  let producer: JobQueue;
  let worker: JobQueue;
  beforeAll(async () => {
    redis = createRedisConnection(REDIS_URL, { log });
    await redis.flushdb();
    // A worker that died holding a job: it is a known consumer, its alive key expired, and its
    // active list still has the job. The next worker's heartbeat must put the job back.
    await redis.sadd('paygate:q:consumers', 'deadbeef0000');
    await redis.lpush('paygate:q:refunds:active:deadbeef0000', 'rfnd_0000000000000001,rfnd_0000000000000002');
    producer = createRedisListQueue({ redisUrl: REDIS_URL, isWorker: false, redis, log });
    worker = createRedisListQueue({ redisUrl: REDIS_URL, isWorker: true, redis, log, consumers: 2 });
  });
  afterAll(async () => {
    await producer?.close(1_000);
    await worker?.close(1_000);
    await redis?.quit();
  });

  it('carries the ids of concurrent enqueues in shared jobs, and hands every id to a handler exactly once, with its copy if it had one', async () => {
    const batches: string[][] = [];
    const copyOf = new Map<string, string | undefined>();
    worker.process('payments', 4, async (ids, copies) => {
      batches.push(ids);
      ids.forEach((id, i) => copyOf.set(id, copies?.[i]));
    });
    await worker.ready();
    const ids = Array.from({ length: 300 }, (_, i) => `pay_${String(i).padStart(16, '0')}`);
    // 300 callers at once, as 300 requests in flight would; every other one with a copy of its row
    const copy = (id: string) => JSON.stringify({ id, note: 'a, b' });
    await Promise.all(ids.map((id, i) => producer.enqueue('payments', [id], i % 2 === 0 ? { copies: [copy(id)] } : undefined)));
    await expect.poll(() => batches.flat().length, { timeout: 10_000 }).toBe(ids.length);
    expect(batches.flat().sort()).toEqual(ids);
    expect(ids.every((id, i) => copyOf.get(id) === (i % 2 === 0 ? copy(id) : undefined))).toBe(true);
    expect(batches.length).toBeLessThan(ids.length / 2); // shared jobs, not one per id
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(100); // MAX_IDS_PER_JOB
    await expect.poll(async () => (await worker.counts()).payments.completed, { timeout: 5_000 }).toBe(ids.length); // counts ids
    // finished jobs leave Redis (their LREMs share a write a few ms after they end)
    await expect.poll(async () => (await worker.counts()).payments, { timeout: 2_000 }).toMatchObject({ waiting: 0, active: 0 });
  });

  it("gives a dead worker's unfinished job to a live one", async () => {
    const seen: string[][] = [];
    worker.process('refunds', 1, async (ids) => void seen.push(ids));
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual([['rfnd_0000000000000001', 'rfnd_0000000000000002']]);
    expect(await redis.sismember('paygate:q:consumers', 'deadbeef0000')).toBe(0);
  });

  it('holds a delayed job, with its copies, until it is due, and counts it as delayed meanwhile', async () => {
    const ran: Array<{ ids: string[]; copies: ReadonlyArray<string | undefined> | undefined; at: number }> = [];
    worker.process('deliveries', 2, async (ids, copies) => void ran.push({ ids, copies, at: Date.now() }));
    const runAt = new Date(Date.now() + 600);
    await producer.enqueue('deliveries', ['whd_0000000000000001'], { runAt, copies: ['{"id":"whd_0000000000000001"}'] });
    expect((await producer.counts()).deliveries.delayed).toBe(1);
    await expect.poll(() => ran.length, { timeout: 5_000 }).toBe(1);
    expect(ran[0]!.ids).toEqual(['whd_0000000000000001']);
    expect(ran[0]!.copies).toEqual(['{"id":"whd_0000000000000001"}']);
    expect(ran[0]!.at).toBeGreaterThanOrEqual(runAt.getTime());
    expect((await producer.counts()).deliveries.delayed).toBe(0);
  });

  it('counts the ids of a job whose handler throws as failed, and does not keep the job', async () => {
    const other = createRedisListQueue({ redisUrl: REDIS_URL, isWorker: true, redis, log });
    try {
      const before = (await other.counts()).payments.failed;
      let calls = 0;
      // A queue of its own process (a second worker) whose handler always fails.
      other.process('payments', 1, async () => {
        calls += 1;
        throw new Error('settlement failed');
      });
      await worker.close(1_000); // only the failing worker takes jobs now
      await producer.enqueue('payments', ['pay_f000000000000001', 'pay_f000000000000002']);
      await expect.poll(async () => (await other.counts()).payments.failed, { timeout: 5_000 }).toBe(before + 2);
      expect(calls).toBe(1); // no retry by the queue: the relay requeues due rows
      await expect.poll(async () => (await other.counts()).payments, { timeout: 2_000 }).toMatchObject({ waiting: 0, active: 0 });
    } finally {
      await other.close(1_000);
    }
  });

  it('has sent the LREM of every job that ended by the time close returns', async () => {
    const closing = createRedisListQueue({ redisUrl: REDIS_URL, isWorker: true, redis, log });
    let ended!: () => void;
    const end = new Promise<void>((resolve) => (ended = resolve));
    closing.process('refunds', 4, async () => void setImmediate(ended));
    await closing.ready();
    await producer.enqueue('refunds', ['rfnd_c000000000000001']);
    await end; // the handler is done; its job's LREM waits for company
    await closing.close(1_000);
    const lists = await redis.keys('paygate:q:refunds:active:*');
    expect(lists).toEqual([]); // an emptied list is no key
    expect((await producer.counts()).refunds).toMatchObject({ waiting: 0, active: 0 });
  });

  it('still works after Redis lost its scripts (a restart or SCRIPT FLUSH)', async () => {
    await redis.script('FLUSH');
    await expect(producer.counts()).resolves.toMatchObject({ refunds: { waiting: 0, delayed: 0, active: 0 } });
  });
});

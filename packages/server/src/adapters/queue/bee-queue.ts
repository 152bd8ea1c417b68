import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import BeeQueue from 'bee-queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { allDone, createBatcher, type Batcher } from '../../lib/batcher.js';
import { within } from '../../lib/within.js';
import { MAX_IDS_PER_JOB, QUEUE_NAMES, type JobQueue, type QueueCounts, type QueueName } from '../../ports/job-queue.js';
import { beeQueueRedisOptions } from '../redis/redis-connection.js';

const PREFIX = 'paygate';
const STALL_INTERVAL_MS = 5_000;
const statsKey = (queue: QueueName, what: 'completed' | 'failed') => `${PREFIX}:stats:${queue}:${what}`;
/** Producer round trips to Redis at once per queue; more calls meanwhile share the next job. */
const SAVES_IN_FLIGHT = 2;
/** A save that Redis has not confirmed by then fails (the row stays; the relay requeues it). */
const SAVE_TIMEOUT_MS = 2_000;
/** What closing may take past its grace period before the connections are dropped. */
const CLOSE_SLACK_MS = 250;

type NodeRedisClient = { connected?: boolean; end?: (flush: boolean) => void };
const clientsOf = (q: BeeQueue<JobData>): NodeRedisClient[] => {
  const raw = q as unknown as { client?: NodeRedisClient; bclient?: NodeRedisClient; eclient?: NodeRedisClient };
  return [raw.client, raw.bclient, raw.eclient].filter((c): c is NodeRedisClient => c !== undefined && c !== null);
};

/**
 * bee-queue's node-redis client queues commands while it is disconnected, for up to an hour:
 * a request that enqueues after commit, or /metrics, would hang for the whole outage. Fail at
 * once instead; the rows are the truth and the relay queues them when Redis is back.
 */
async function assertConnected(q: BeeQueue<JobData>, name: QueueName): Promise<void> {
  const client = (q as unknown as { client?: NodeRedisClient | null }).client;
  // Still making its first connection (a queue used right after it was made): wait for it.
  if (!client) await withTimeout(q.ready(), SAVE_TIMEOUT_MS, `connecting queue ${name}`);
  else if (!client.connected) throw new Error(`redis is unavailable (queue ${name})`);
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: redis did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A job's payload. `id` is the shape of jobs queued before jobs carried batches. */
type JobData = { ids: string[] } | { id: string };
const idsOf = (data: JobData): string[] => ('ids' in data ? data.ids : [data.id]);

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type BeeScript = { sha: string; body: string };

/** bee-queue's Lua scripts, read from its package: we re-load them if Redis lost them. */
function readBeeQueueScripts(): BeeScript[] {
  const dir = join(dirname(createRequire(import.meta.url).resolve('bee-queue')), 'lib', 'lua');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.lua'))
    .map((f) => {
      const body = readFileSync(join(dir, f), 'utf8');
      return { sha: createHash('sha1').update(body).digest('hex'), body };
    });
}

/**
 * bee-queue loads its Lua scripts once per connection. After a Redis restart (or SCRIPT FLUSH)
 * every call fails with NOSCRIPT while the workers look healthy. This puts back what is missing;
 * workers run it every few seconds and readiness runs it too.
 */
export async function ensureBeeQueueScripts(redis: Redis, scripts: readonly BeeScript[]): Promise<number> {
  const exists = (await redis.script('EXISTS', ...scripts.map((s) => s.sha))) as number[];
  const missing = scripts.filter((_, i) => exists[i] !== 1);
  for (const s of missing) await redis.script('LOAD', s.body);
  return missing.length;
}

/**
 * Production queue driver: bee-queue on Redis. A job carries a batch of row ids: ids queued by
 * concurrent requests while a save is on its way share the next job, so under load one Redis
 * round trip (and, in the worker, one fetch) serves many rows. Delivery is at least once, so
 * handlers are idempotent. API processes make producer-only queues; workers activate delayed
 * jobs and check stalled ones.
 */
export function createBeeQueue(options: {
  redisUrl: string;
  isWorker: boolean;
  redis: Redis;
  log: Logger;
  /** bee-queue instances consuming each queue in a worker (see `process`). */
  consumers?: number;
}): JobQueue {
  const redisOptions = beeQueueRedisOptions(options.redisUrl);
  const scripts = readBeeQueueScripts();
  const makeQueue = (name: QueueName, role: { isWorker: boolean; activateDelayedJobs: boolean }) => {
    const q = new BeeQueue<JobData>(name, {
      prefix: PREFIX,
      redis: redisOptions,
      ...role,
      getEvents: false,
      sendEvents: false,
      removeOnSuccess: true,
      removeOnFailure: true,
      stallInterval: STALL_INTERVAL_MS,
    });
    q.on('error', (err) => options.log.warn({ err: err.message, queue: name }, 'bee-queue error'));
    // bee-queue's connection promise rejects, unobserved, when Redis goes away while it connects.
    q.ready().catch((err: Error) => options.log.warn({ err: err.message, queue: name }, 'bee-queue could not connect'));
    return q;
  };
  const queues = new Map(QUEUE_NAMES.map((name) => [name, makeQueue(name, { isWorker: options.isWorker, activateDelayedJobs: options.isWorker })]));
  const extraConsumers: BeeQueue<JobData>[] = [];
  let scriptTimer: NodeJS.Timeout | undefined;
  if (options.isWorker) {
    scriptTimer = setInterval(() => {
      ensureBeeQueueScripts(options.redis, scripts)
        .then((n) => n > 0 && options.log.warn({ reloaded: n }, 'redis had lost the queue scripts; reloaded'))
        .catch(() => undefined);
    }, 2_000);
    scriptTimer.unref();
  }
  const queue = (name: QueueName) => queues.get(name)!;

  // Completed/failed counters for /test/jobs/status, shared by all workers in Redis. Counted here
  // and flushed once a second (INCRBY), not one Redis write per job: at hundreds of jobs a second
  // every socket write shows in the profile.
  const unflushed = new Map<string, number>();
  const count = (key: string, n: number) => unflushed.set(key, (unflushed.get(key) ?? 0) + n);
  const flushCounts = async () => {
    if (unflushed.size === 0) return;
    const pipeline = options.redis.pipeline();
    for (const [key, n] of unflushed) pipeline.incrby(key, n);
    unflushed.clear();
    await pipeline.exec();
  };
  const countTimer = setInterval(() => void flushCounts().catch(() => undefined), 1_000);
  countTimer.unref();

  const save = async (name: QueueName, ids: readonly string[], runAt?: Date) => {
    const q = queue(name);
    await assertConnected(q, name);
    const jobs = chunk(ids, MAX_IDS_PER_JOB).map((batch) => {
      const job = q.createJob<JobData>({ ids: batch }).timeout(60_000);
      return runAt && runAt.getTime() > Date.now() ? job.delayUntil(runAt) : job;
    });
    const errors = await withTimeout(q.saveAll(jobs), SAVE_TIMEOUT_MS, `saving ${ids.length} ${name} jobs`);
    if (errors.size > 0) throw [...errors.values()][0]!;
  };
  // Jobs due now are coalesced across callers; delayed ones keep their own time, so go alone.
  const producers = new Map<QueueName, Batcher<string>>(
    QUEUE_NAMES.map((name) => [
      name,
      createBatcher<string>({ run: (ids) => allDone((batch) => save(name, batch), ids), maxBatch: MAX_IDS_PER_JOB * 10, maxInFlight: SAVES_IN_FLIGHT }),
    ]),
  );

  return {
    async enqueue(name, ids, opts) {
      if (ids.length === 0) return;
      if (opts?.runAt && opts.runAt.getTime() > Date.now()) return save(name, ids, opts.runAt);
      await producers.get(name)!.add(ids);
    },
    process(name, concurrency, handler) {
      const run = async (job: BeeQueue.Job<JobData>) => {
        const ids = idsOf(job.data);
        try {
          await handler(ids);
          count(statsKey(name, 'completed'), ids.length);
        } catch (error) {
          count(statsKey(name, 'failed'), ids.length);
          throw error;
        }
      };
      // A bee-queue instance takes its jobs one blocking BRPOPLPUSH (plus a read) at a time, so
      // one instance caps a worker at one job per Redis round trip, whatever its concurrency.
      // Several instances fetch in parallel; the concurrency is split between them.
      const consumers = Math.max(1, Math.min(options.consumers ?? 1, concurrency));
      const each = Math.ceil(concurrency / consumers);
      const main = queue(name);
      main.process(each, run);
      for (let i = 1; i < consumers; i += 1) {
        const extra = makeQueue(name, { isWorker: true, activateDelayedJobs: false });
        extra.process(each, run);
        extraConsumers.push(extra);
      }
      main.checkStalledJobs(STALL_INTERVAL_MS).catch((err: Error) => options.log.warn({ err: err.message, queue: name }, 'stalled job check failed'));
    },
    async counts() {
      const out = {} as Record<QueueName, QueueCounts>;
      await Promise.all(
        QUEUE_NAMES.map(async (name) => {
          await assertConnected(queue(name), name);
          const [health, completed, failed] = await Promise.all([
            queue(name).checkHealth(),
            options.redis.get(statsKey(name, 'completed')),
            options.redis.get(statsKey(name, 'failed')),
          ]);
          out[name] = {
            waiting: health.waiting,
            delayed: health.delayed,
            active: health.active,
            completed: Number(completed ?? 0),
            failed: Number(failed ?? 0),
          };
        }),
      );
      return out;
    },
    // bee-queue's connect has a flaw: an error after the first one while it connects (Redis
    // gone mid-handshake) is emitted on a client that no longer has a listener, which throws.
    // Waiting here keeps that window inside start-up, where failing is the right outcome.
    async ready() {
      await Promise.all([...queues.values(), ...extraConsumers].map((q) => q.ready()));
    },
    async check() {
      await options.redis.ping();
      await ensureBeeQueueScripts(options.redis, scripts);
      // The queue's own clients are not the ping's: one that is down (Redis restarting, or a
      // client that gave up) means jobs cannot be saved or taken, whatever the ping says.
      const down = [...queues.entries()].filter(([, q]) => clientsOf(q).some((c) => c.connected === false)).map(([name]) => name);
      if (down.length > 0) throw new Error(`bee-queue connection down for queue ${down.join(', ')}`);
    },
    async close(timeoutMs) {
      clearInterval(scriptTimer);
      clearInterval(countTimer);
      // bee-queue's close ends with QUIT, which never returns while Redis is gone: past the grace
      // period, drop the connections (running jobs' rows come back through the relay).
      await Promise.all(
        [...queues.values(), ...extraConsumers].map(async (q) => {
          if (!(await within(q.close(timeoutMs), timeoutMs + CLOSE_SLACK_MS))) for (const c of clientsOf(q)) c.end?.(true);
        }),
      );
      await within(flushCounts(), CLOSE_SLACK_MS);
    },
  };
}

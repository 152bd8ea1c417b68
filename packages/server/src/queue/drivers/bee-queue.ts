import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import BeeQueue from 'bee-queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { QUEUE_NAMES, type JobQueue, type QueueCounts, type QueueName } from '../job-queue.js';
import { beeQueueRedisOptions } from '../redis-connection.js';

const PREFIX = 'paygate';
const STALL_INTERVAL_MS = 5_000;
const statsKey = (queue: QueueName, what: 'completed' | 'failed') => `${PREFIX}:stats:${queue}:${what}`;

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
 * Production queue driver: bee-queue on Redis. Job id = row id, so queueing the same row twice
 * while its job is alive is a no-op; delivery is at least once, so handlers are idempotent.
 * API processes make producer-only queues; workers activate delayed jobs and check stalled ones.
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
    const q = new BeeQueue<{ id: string }>(name, {
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
    return q;
  };
  const queues = new Map(QUEUE_NAMES.map((name) => [name, makeQueue(name, { isWorker: options.isWorker, activateDelayedJobs: options.isWorker })]));
  const extraConsumers: BeeQueue<{ id: string }>[] = [];
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
  const count = (key: string) => unflushed.set(key, (unflushed.get(key) ?? 0) + 1);
  const flushCounts = async () => {
    if (unflushed.size === 0) return;
    const pipeline = options.redis.pipeline();
    for (const [key, n] of unflushed) pipeline.incrby(key, n);
    unflushed.clear();
    await pipeline.exec();
  };
  const countTimer = setInterval(() => void flushCounts().catch(() => undefined), 1_000);
  countTimer.unref();

  return {
    async enqueue(name, ids, opts) {
      if (ids.length === 0) return;
      const q = queue(name);
      if (opts?.replace) await Promise.all(ids.map((id) => q.removeJob(id)));
      const jobs = ids.map((id) => {
        const job = q.createJob({ id }).setId(id).timeout(60_000);
        return opts?.runAt && opts.runAt.getTime() > Date.now() ? job.delayUntil(opts.runAt) : job;
      });
      const errors = await q.saveAll(jobs);
      if (errors.size > 0) throw [...errors.values()][0]!;
    },
    process(name, concurrency, handler) {
      const run = async (job: BeeQueue.Job<{ id: string }>) => {
        try {
          await handler(job.data.id);
          count(statsKey(name, 'completed'));
        } catch (error) {
          count(statsKey(name, 'failed'));
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
      void main.checkStalledJobs(STALL_INTERVAL_MS);
    },
    async counts() {
      const out = {} as Record<QueueName, QueueCounts>;
      await Promise.all(
        QUEUE_NAMES.map(async (name) => {
          const [health, completed, failed] = await Promise.all([
            queue(name).checkHealth(),
            options.redis.get(statsKey(name, 'completed')),
            options.redis.get(statsKey(name, 'failed')),
          ]);
          out[name] = { waiting: health.waiting, delayed: health.delayed, active: health.active, completed: Number(completed ?? 0), failed: Number(failed ?? 0) };
        }),
      );
      return out;
    },
    async check() {
      await options.redis.ping();
      await ensureBeeQueueScripts(options.redis, scripts);
    },
    async close(timeoutMs) {
      clearInterval(scriptTimer);
      clearInterval(countTimer);
      await Promise.all([...queues.values(), ...extraConsumers].map((q) => q.close(timeoutMs).catch(() => undefined)));
      await flushCounts().catch(() => undefined);
    },
  };
}

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { allDone, createBatcher, type Batcher } from '../../lib/batcher.js';
import { within, withTimeout } from '../../lib/within.js';
import { MAX_IDS_PER_JOB, QUEUE_NAMES, type JobHandler, type JobQueue, type QueueCounts, type QueueName, type QueuedId } from '../../ports/job-queue.js';
import { createRedisConnection } from '../redis/redis-connection.js';

/**
 * Production queue driver: one Redis list per queue, and nothing else on a job's way.
 *
 * A job is its row ids joined by commas, then, when they were queued with copies of their rows,
 * a line per id with its copy (see {@link encodeJob}), pushed as one list element (`LPUSH`; delayed ones wait
 * in a sorted set scored by their due time until a worker moves them). A worker takes a job
 * with one blocking `BLMOVE` into a list of its own (the job is in Redis until the work is done)
 * and drops it from there with one `LREM` when its handler settles (pipelined with the other jobs
 * that finished within {@link FINISH_LINGER_MS}). That is one command to
 * queue a job and two to run it, against bee-queue's five (a Lua script that also keeps a job
 * hash, then `BRPOPLPUSH`, `HGET` for the job's data, `SREM` against stalling, and a
 * `MULTI`/`EXEC` of three), each a round trip a lone payment waits for.
 *
 * What bee-queue gave and this keeps, more cheaply: a worker that dies mid-job loses nothing
 * (every worker renews a short-lived "alive" key; any worker moves the jobs a dead one held back
 * to the waiting list), and a job that runs too long fails and frees its slot. What it does not
 * keep, on purpose: retries and job records. A job's ids name database rows, the rows are the
 * truth, handlers are idempotent, and the relay queues again whatever is due and not done.
 */

const PREFIX = 'paygate:q';
const waitingKey = (queue: QueueName) => `${PREFIX}:${queue}:waiting`;
const delayedKey = (queue: QueueName) => `${PREFIX}:${queue}:delayed`;
const activeKey = (queue: QueueName, consumer: string) => `${PREFIX}:${queue}:active:${consumer}`;
const CONSUMERS_KEY = `${PREFIX}:consumers`;
const aliveKey = (consumer: string) => `${PREFIX}:alive:${consumer}`;
const statsKey = (queue: QueueName, what: 'completed' | 'failed') => `paygate:stats:${queue}:${what}`;

/** Producer round trips to Redis at once per queue; more calls meanwhile share the next one. */
const SAVES_IN_FLIGHT = 2;
/** A save that Redis has not confirmed by then fails (the row stays; the relay requeues it). */
const SAVE_TIMEOUT_MS = 2_000;
/** A handler still running after this fails its job and frees its slot (bee-queue's job timeout here before). */
const JOB_TIMEOUT_MS = 60_000;
/**
 * How long a finished job waits for others to share its `LREM` write. With payments one at a
 * time, each job had a write and a Redis wake-up of its own for nothing anyone waits on (3.1 → 2.2
 * Redis reads a lone payment). What it costs: a job whose worker dies within this window of its
 * end runs again, and finds its rows done.
 */
const FINISH_LINGER_MS = 50;
/** How often a worker renews its alive key and looks for dead workers' jobs. */
const HEARTBEAT_MS = 5_000;
/** A worker not heard of for this long is dead: its jobs go back to the waiting lists. */
const ALIVE_TTL_MS = 15_000;
/**
 * How often a worker looks for delayed jobs that came due, at the most (sooner when the next one
 * is due sooner). A job queued for earlier than the next look waits for it: payments are delayed
 * by seconds, so a fifth of one is the price of not telling every worker about every delayed job.
 */
const DELAYED_POLL_MS = 200;
/** Delayed jobs one look moves per queue at most. */
const DUE_PER_LOOK = 100;
/** What closing may take past its grace period before the connections are dropped. */
const CLOSE_SLACK_MS = 250;
/** Between two tries of a blocking pop that failed (Redis away), growing to the maximum. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2_000;

// Lua: each runs atomically, so two workers never move the same job. ioredis sends a script's
// SHA and, should Redis have lost it (restart, SCRIPT FLUSH), its body, by itself.

/** KEYS: delayed/waiting pairs. ARGV: now (ms), jobs per queue. Returns the next due time, or -1. */
const ACTIVATE_DUE = `
local next = -1
for i = 1, #KEYS, 2 do
  local due = redis.call('ZRANGEBYSCORE', KEYS[i], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
  if #due > 0 then
    redis.call('ZREM', KEYS[i], unpack(due))
    redis.call('LPUSH', KEYS[i + 1], unpack(due))
  end
  local first = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
  if first[2] and (next < 0 or tonumber(first[2]) < next) then next = tonumber(first[2]) end
end
return next`;

/**
 * KEYS[1]: the consumers set. ARGV[1]: the key prefix; ARGV[2..]: queue names. Moves the jobs of
 * every consumer whose alive key is gone back to their queues' waiting lists; returns how many.
 * (It reads keys it is not given, which a Redis Cluster would refuse; Paygate uses one Redis.)
 */
const RESTORE_LOST = `
local moved = 0
for _, consumer in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. ':alive:' .. consumer) == 0 then
    for q = 2, #ARGV do
      local active = ARGV[1] .. ':' .. ARGV[q] .. ':active:' .. consumer
      local waiting = ARGV[1] .. ':' .. ARGV[q] .. ':waiting'
      while redis.call('RPOPLPUSH', active, waiting) do moved = moved + 1 end
    end
    redis.call('SREM', KEYS[1], consumer)
  end
end
return moved`;

/** Like RESTORE_LOST's arguments. Returns waiting, delayed, active (jobs) for each queue in turn. */
const COUNT_JOBS = `
local consumers = redis.call('SMEMBERS', KEYS[1])
local out = {}
for q = 2, #ARGV do
  local base = ARGV[1] .. ':' .. ARGV[q]
  local active = 0
  for _, consumer in ipairs(consumers) do active = active + redis.call('LLEN', base .. ':active:' .. consumer) end
  table.insert(out, redis.call('LLEN', base .. ':waiting'))
  table.insert(out, redis.call('ZCARD', base .. ':delayed'))
  table.insert(out, active)
end
return out`;

type Scripts = {
  activateDue(...args: (string | number)[]): Promise<number>;
  restoreLost(...args: string[]): Promise<number>;
  countJobs(...args: string[]): Promise<number[]>;
};

function withScripts(redis: Redis): Redis & Scripts {
  const r = redis as Redis & Partial<Scripts>;
  if (!r.activateDue) {
    redis.defineCommand('activateDue', { lua: ACTIVATE_DUE });
    redis.defineCommand('restoreLost', { numberOfKeys: 1, lua: RESTORE_LOST });
    redis.defineCommand('countJobs', { numberOfKeys: 1, lua: COUNT_JOBS });
  }
  return r as Redis & Scripts;
}

/**
 * A job's list element: `id,id,…`, and only if some id has a copy, a line per id after it with
 * that id's copy (empty for none). Ids never hold a comma or a line break, nor copies a line
 * break (a copy that does is left out).
 */
export function encodeJob(items: readonly QueuedId[]): string {
  const ids = items.map((item) => item.id).join(',');
  if (!items.some((item) => item.copy !== undefined)) return ids;
  return `${ids}\n${items.map((item) => (item.copy === undefined || item.copy.includes('\n') ? '' : item.copy)).join('\n')}`;
}

/** The ids of a job's list element, and their copies where it has them. */
export function decodeJob(job: string): { ids: string[]; copies?: Array<string | undefined> } {
  const lines = job.split('\n');
  const ids = lines[0]!.split(',');
  if (lines.length === 1) return { ids };
  return { ids, copies: ids.map((_, i) => lines[i + 1] || undefined) };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Resolves once `redis` is connected; rejects if it fails first (start-up is where failing is right). */
function connected(redis: Redis, what: string): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      redis.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      redis.off('ready', onReady);
      reject(new Error(`${what}: ${err.message}`));
    };
    redis.once('ready', onReady);
    redis.once('error', onError);
  });
}

/**
 * @param options.redis  the process's shared connection: producers queue through it, workers
 *   finish jobs and keep their heartbeat on it. Blocking pops get connections of their own.
 * @param options.consumers  blocking connections per queue in a worker (see `process`).
 */
export function createRedisListQueue(options: { redisUrl: string; isWorker: boolean; redis: Redis; log: Logger; consumers?: number }): JobQueue {
  const { log } = options;
  const redis = withScripts(options.redis);
  const consumerId = randomBytes(6).toString('hex');
  const scriptArgs = [CONSUMERS_KEY, PREFIX, ...QUEUE_NAMES];
  let closing = false;
  const blocking: Array<{ queue: QueueName; conn: Redis }> = [];
  const running = new Set<Promise<void>>();
  /** `LREM`s of finished jobs not yet sent or answered: closing waits for them a little. */
  const finishing = new Set<Promise<void>>();
  const timers: NodeJS.Timeout[] = [];

  // Completed/failed counters for /test/jobs/status, shared by all workers in Redis; counted
  // here and flushed once a second (INCRBY), not one Redis write per job.
  const unflushed = new Map<string, number>();
  const count = (key: string, n: number) => unflushed.set(key, (unflushed.get(key) ?? 0) + n);
  const flushCounts = async () => {
    if (unflushed.size === 0) return;
    const pipeline = redis.pipeline();
    for (const [key, n] of unflushed) pipeline.incrby(key, n);
    unflushed.clear();
    await pipeline.exec();
  };
  const countTimer = setInterval(() => void flushCounts().catch(() => undefined), 1_000);
  countTimer.unref();
  timers.push(countTimer);

  const save = async (name: QueueName, items: readonly QueuedId[], runAt?: Date) => {
    // ioredis would hold the command until Redis is back (and the request that queues with it):
    // fail at once instead; the row is the truth and the relay queues it when Redis returns.
    if (redis.status !== 'ready') throw new Error(`redis is ${redis.status} (queue ${name})`);
    const jobs = chunk(items, MAX_IDS_PER_JOB).map(encodeJob);
    const due = runAt?.getTime();
    const saved =
      due !== undefined && due > Date.now() ? redis.zadd(delayedKey(name), ...jobs.flatMap((job) => [due, job])) : redis.lpush(waitingKey(name), ...jobs);
    await withTimeout(saved, SAVE_TIMEOUT_MS, `saving ${items.length} ${name} ids`);
  };
  // Ids due now are coalesced across callers into shared jobs; delayed ones keep their own time.
  const producers = new Map<QueueName, Batcher<QueuedId>>(
    QUEUE_NAMES.map((name) => [
      name,
      createBatcher<QueuedId>({ run: (items) => allDone((batch) => save(name, batch), items), maxBatch: MAX_IDS_PER_JOB * 10, maxInFlight: SAVES_IN_FLIGHT }),
    ]),
  );

  // Finished jobs leave the worker's active list in one pipelined write per FINISH_LINGER_MS.
  const finishers = new Map<QueueName, Batcher<string>>(
    QUEUE_NAMES.map((name) => [
      name,
      createBatcher<string>({
        run: (jobs) =>
          allDone((batch: string[]) => {
            const pipeline = redis.pipeline();
            for (const job of batch) pipeline.lrem(activeKey(name, consumerId), 1, job);
            return pipeline.exec();
          }, jobs),
        maxBatch: 1_000,
        maxInFlight: 1,
        lingerMs: FINISH_LINGER_MS,
      }),
    ]),
  );

  const runJob = async (name: QueueName, job: string, handler: JobHandler) => {
    const { ids, copies } = decodeJob(job);
    try {
      await withTimeout(handler(ids, copies), JOB_TIMEOUT_MS, `${name} job of ${ids.length} ids`);
      count(statsKey(name, 'completed'), ids.length);
    } catch (error) {
      count(statsKey(name, 'failed'), ids.length);
      log.warn({ err: (error as Error).message, queue: name, ids: ids.length }, 'job failed; the relay will queue its due rows again');
    }
    // The slot frees now; the job leaves the active list with the next shared write. Left there
    // (Redis away, or this worker gone first), it comes back to the queue when this worker is
    // gone, and its handler finds its rows settled.
    const finished: Promise<void> = finishers
      .get(name)!
      .add([job])
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => finishing.delete(finished));
    finishing.add(finished);
  };

  /** One blocking connection's loop: takes a job whenever it has a free slot, until closing. */
  const consume = async (name: QueueName, conn: Redis, slots: number, handler: JobHandler) => {
    let inFlight = 0;
    let freed: (() => void) | undefined;
    let retryMs = RETRY_MIN_MS;
    while (!closing) {
      if (inFlight >= slots) {
        await new Promise<void>((resolve) => (freed = resolve));
        continue;
      }
      let job: string | null;
      try {
        job = await conn.blmove(waitingKey(name), activeKey(name, consumerId), 'RIGHT', 'LEFT', 0);
        retryMs = RETRY_MIN_MS;
      } catch (error) {
        if (closing) return;
        log.warn({ err: (error as Error).message, queue: name }, 'taking a job failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        continue;
      }
      if (job === null) continue;
      inFlight += 1;
      const done: Promise<void> = runJob(name, job, handler).finally(() => {
        running.delete(done);
        inFlight -= 1;
        freed?.();
        freed = undefined;
      });
      running.add(done);
    }
  };

  const heartbeat = async () => {
    await redis.pipeline().sadd(CONSUMERS_KEY, consumerId).set(aliveKey(consumerId), '1', 'PX', ALIVE_TTL_MS).exec();
    const restored = await redis.restoreLost(...scriptArgs);
    if (restored > 0) log.warn({ restored }, 'a worker stopped without finishing its jobs; they are back in the queue');
  };

  let activateTimer: NodeJS.Timeout | undefined;
  const activateDue = async () => {
    let wait = DELAYED_POLL_MS;
    try {
      const keys = QUEUE_NAMES.flatMap((name) => [delayedKey(name), waitingKey(name)]);
      const now = Date.now();
      const next = await redis.activateDue(keys.length, ...keys, now, DUE_PER_LOOK);
      if (next >= 0) wait = Math.max(0, Math.min(wait, next - now));
    } catch {
      // Redis away: the next look tries again.
    }
    if (!closing) {
      activateTimer = setTimeout(() => void activateDue(), wait);
      activateTimer.unref();
    }
  };

  if (options.isWorker) {
    const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
    beat.unref();
    timers.push(beat);
    void heartbeat().catch(() => undefined);
    void activateDue();
  }

  return {
    async enqueue(name, ids, opts) {
      if (ids.length === 0) return;
      const items = ids.map((id, i) => ({ id, copy: opts?.copies?.[i] }));
      if (opts?.runAt && opts.runAt.getTime() > Date.now()) return save(name, items, opts.runAt);
      await producers.get(name)!.add(items);
    },
    process(name, concurrency, handler) {
      // One blocking pop takes one job per round trip, so one connection caps a worker at a job
      // per round trip whatever its concurrency; several connections take in parallel, and the
      // concurrency is split between them.
      const consumers = Math.max(1, Math.min(options.consumers ?? 1, concurrency));
      const each = Math.ceil(concurrency / consumers);
      for (let i = 0; i < consumers; i += 1) {
        // Waits through a Redis outage instead of failing: the pop is sent again on reconnect.
        const conn = createRedisConnection(options.redisUrl, { log, name: `paygate-queue-${name}`, maxRetriesPerRequest: null });
        blocking.push({ queue: name, conn });
        void consume(name, conn, each, handler);
      }
    },
    async counts() {
      const pipeline = redis.pipeline();
      (pipeline as unknown as Scripts).countJobs(...scriptArgs);
      for (const name of QUEUE_NAMES) pipeline.get(statsKey(name, 'completed')).get(statsKey(name, 'failed'));
      const replies = (await pipeline.exec()) ?? [];
      const failure = replies.find(([err]) => err);
      if (failure) throw failure[0]!;
      const jobs = replies[0]![1] as number[];
      const out = {} as Record<QueueName, QueueCounts>;
      QUEUE_NAMES.forEach((name, i) => {
        out[name] = {
          waiting: jobs[i * 3]!,
          delayed: jobs[i * 3 + 1]!,
          active: jobs[i * 3 + 2]!,
          completed: Number(replies[1 + i * 2]![1] ?? 0),
          failed: Number(replies[2 + i * 2]![1] ?? 0),
        };
      });
      return out;
    },
    async ready() {
      await Promise.all([connected(redis, 'redis'), ...blocking.map(({ queue, conn }) => connected(conn, `queue ${queue}`))]);
    },
    async check() {
      await redis.ping();
      // The blocking connections are not the ping's: one that is down means this worker takes
      // no jobs, whatever the ping says.
      const down = [...new Set(blocking.filter(({ conn }) => conn.status !== 'ready').map(({ queue }) => queue))];
      if (down.length > 0) throw new Error(`queue connection down for queue ${down.join(', ')}`);
    },
    async close(timeoutMs) {
      closing = true;
      for (const t of timers) clearInterval(t);
      clearTimeout(activateTimer);
      // Dropping a blocking connection cancels its pop (a job it had just taken stays in this
      // worker's active list, and comes back once its alive key is gone).
      for (const { conn } of blocking) conn.disconnect();
      await within(Promise.all(running), timeoutMs);
      await within(Promise.all(finishing), CLOSE_SLACK_MS);
      await within(flushCounts(), CLOSE_SLACK_MS);
      // Gone now: whatever this worker still held goes back at the next worker's heartbeat.
      if (options.isWorker) await within(redis.del(aliveKey(consumerId)), CLOSE_SLACK_MS);
    },
  };
}

import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../../src/adapters/clock/clock.js';
import { createRedisClockSignal } from '../../src/adapters/clock/redis-clock-signal.js';
import { migrateToLatest } from '../../src/adapters/db/migration-source.js';
import { createLogger } from '../../src/logger.js';
import { openTestDatabase } from '../helpers/gateway.js';
import { REDIS_DATABASES, redisTestUrl, serviceAvailable } from '../helpers/services.js';

const redisUrl = redisTestUrl('clockSignal');
/** Long enough that in these tests only an announcement, or a reconnection, can explain a read. */
const NO_POLL_MS = 10 * 60_000;

const available = (await serviceAvailable('postgres')) && (await serviceAvailable('redis'));

// Two test clocks on one PostgreSQL and one Redis, as an API process and a worker process of a
// split deployment have: a move one makes reaches the other through Redis, not through a poll.
describe.skipIf(!available)('test clock moves announced over Redis', () => {
  let db: Knex;
  let closeDb: () => Promise<void>;
  let publisher: Redis;
  const log = createLogger('silent');
  const cleanups: Array<() => Promise<void> | void> = [];

  /** A process's clock: its own signal on the shared publisher connection, polling (nearly) never. */
  const processClock = async () => {
    const signal = createRedisClockSignal({ redisUrl, publisher, log });
    const clock = createTestClock(db, { signal, refreshMs: NO_POLL_MS });
    cleanups.push(
      () => clock.stop(),
      () => signal.close(),
    );
    await clock.start();
    return clock;
  };

  beforeAll(async () => {
    ({ db, close: closeDb } = await openTestDatabase('postgres'));
    await migrateToLatest(db);
    publisher = new Redis(redisUrl);
    await publisher.ping();
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await publisher?.quit();
    await closeDb?.();
  });

  it("reaches the other processes' clocks as soon as it is made: an advance, then a reset", async () => {
    const api = await processClock();
    const worker = await processClock();
    const moves: number[] = [];
    worker.onMove(() => moves.push(worker.offsetMs()));

    await api.advance(3_600);
    await expect.poll(() => worker.offsetMs(), { timeout: 5_000 }).toBe(3_600_000);
    expect(moves).toEqual([3_600_000]);

    await api.reset();
    await expect.poll(() => worker.resetEpoch(), { timeout: 5_000 }).toBe(api.resetEpoch());
    expect(worker.offsetMs()).toBe(0);
    expect(moves).toEqual([3_600_000, 0]);
  });

  it('reads the row again when its subscription comes back, for the moves announced while it was away', async () => {
    const worker = await processClock();
    const before = worker.offsetMs();
    // A move whose announcement this clock never heard (its subscriber connection was down)
    await db('gateway_clock')
      .where({ id: 1 })
      .update({ offset_ms: db.raw('offset_ms + ?', [120_000]) });
    // Its subscriber connection dropped (the only ones on this suite's Redis database are this test's)
    const subscribers = (await publisher.client('LIST')) as string;
    const ours = new RegExp(`id=(\\d+) .*name=paygate-clock .*db=${REDIS_DATABASES.clockSignal} .*sub=1`, 'g');
    const ids = [...subscribers.matchAll(ours)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await publisher.client('KILL', 'ID', id);

    await expect.poll(() => worker.offsetMs(), { timeout: 10_000 }).toBe(before + 120_000);
  });
});

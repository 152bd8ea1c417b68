import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/transports/rate-limit/rate-limiter.js';
import { LEVEL, captureLogs } from '../helpers/log-capture.js';
import { freePort } from '../helpers/processes.js';
import { REDIS_TEST_URL, serviceAvailable } from '../helpers/services.js';

// Two API processes' limiters on one Redis: each counts its requests at once, with no round trip,
// and their counts meet in Redis when each syncs. A subject's own keys (a fresh id per test), no
// FLUSHDB: the default database is shared with other suites.

const available = await serviceAvailable('redis');

describe.skipIf(!available)('rate limits shared by API processes through Redis', () => {
  const clients: Redis[] = [];
  const client = () => {
    const redis = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: 1 });
    clients.push(redis);
    return redis;
  };
  afterAll(async () => {
    for (const redis of clients) redis.disconnect();
  });
  const log = captureLogs('info');

  it('counts each process at once, and after a sync every process holds the limit on the sum of both', async () => {
    const subject = `merchant:${randomUUID()}`;
    const a = createRateLimiter({ limit: 10, redis: client(), log: log.logger });
    const b = createRateLimiter({ limit: 10, redis: client(), log: log.logger });
    await Promise.all(clients.map((r) => new Promise((ready) => (r.status === 'ready' ? ready(undefined) : r.once('ready', ready)))));

    // Process A takes six: counted at once, remaining falls with each
    const first = [];
    for (let i = 0; i < 6; i += 1) first.push((await a.hit(subject)).remaining);
    expect(first).toEqual([9, 8, 7, 6, 5, 4]);
    await a.sync();
    expect(Number(await clients[0]!.get(`paygate:rate:${subject}`))).toBe(6);

    // B has not synced yet: it knows only its own. Once synced, it knows A's six too.
    expect((await b.hit(subject)).remaining).toBe(9);
    await b.sync();
    expect((await b.hit(subject)).remaining).toBe(2); // 6 + 1 + this one
    await b.sync(); // Redis: 8

    // A learns B's at its next sync (it sends its own with it), and refuses past ten in all
    expect((await a.hit(subject)).remaining).toBe(3); // 6 + this one: B's not yet known here
    await a.sync(); // Redis: 9
    const rest = [];
    for (let i = 0; i < 2; i += 1) rest.push(await a.hit(subject));
    expect(rest.map((v) => v.allowed)).toEqual([true, false]);
    expect(a.blockedFor(subject)).toBeGreaterThan(0);

    // The window's end is Redis's, counted from its first hit in any process
    expect(rest[1]!.resetSeconds).toBeGreaterThan(0);
    expect(rest[1]!.resetSeconds).toBeLessThanOrEqual(60);
    expect(await clients[0]!.pttl(`paygate:rate:${subject}`)).toBeGreaterThan(0);
  });

  it('with Redis out of reach, limits on its own counts and warns once for the outage', async () => {
    const capture = captureLogs('info');
    // Nothing listens on this port: the client never becomes ready
    const unreachable = new Redis(`redis://127.0.0.1:${await freePort()}/0`, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    unreachable.on('error', () => {}); // the limiter reports the outage; ioredis's own noise is not the test's
    clients.push(unreachable);
    const limiter = createRateLimiter({ limit: 3, redis: unreachable, log: capture.logger });
    const subject = `ip:${randomUUID()}`;

    const verdicts = [];
    for (let i = 0; i < 4; i += 1) verdicts.push((await limiter.hit(subject)).allowed);
    expect(verdicts).toEqual([true, true, true, false]);
    await limiter.sync();
    await limiter.hit(subject);
    await limiter.sync();

    const warnings = capture.lines.filter((l) => l.level === LEVEL.warn && /rate limit store unavailable/.test(String(l.msg)));
    expect(warnings).toHaveLength(1);
    // The counts sent nowhere stay this process's: the subject is still refused
    expect((await limiter.hit(subject)).allowed).toBe(false);
  });
});

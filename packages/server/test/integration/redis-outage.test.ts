import { afterEach, describe, expect, it } from 'vitest';
import { CLI_BIN, ProcessGroup, apiClient, freePort, hasBinary, startRedisServer, type ManagedProcess } from '../helpers/processes.js';
import { POSTGRES_ADMIN_URL, createTemporaryDatabase, serviceAvailable } from '../helpers/services.js';
import { startTcpProxy, throughProxy } from '../helpers/tcp-proxy.js';
import { SEED_HEADERS, gatewayEnv as splitScenarioEnv } from '../helpers/split-scenario.js';

// Built binaries (`npm run build` first) on a private redis-server that the test stops, and on
// PostgreSQL reached through a proxy that the test cuts: processes told to stop while a
// dependency is gone still exit in time, and an outage under load leaves no unhandled promise
// rejection, no 500, and nothing lost.

const isCI = process.env['CI'] === 'true';
const postgres = await serviceAvailable('postgres');
const redisServerHere = hasBinary('redis-server');
if (isCI && !redisServerHere) throw new Error('redis-server is not on PATH, and CI=true forbids skipping the Redis outage tests.');

const GRACE_MS = 3_000;
/** What a SIGTERMed process may take beyond the grace period: closing connections, exiting node. */
const EXIT_MARGIN_MS = 3_000;
const after = (ms: number) => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms));
const log = (msg: string) => console.log(`[redis-outage] ${msg}`);

/** The split-scenario env, with a shorter grace, settle delay and pool wait. */
function gatewayEnv(databaseUrl: string, redisUrl: string): NodeJS.ProcessEnv {
  return splitScenarioEnv(databaseUrl, redisUrl, {
    WEBHOOK_RETRY_INTERVALS_TEST: undefined,
    TEST_PROCESSING_DELAY: '200',
    PAYGATE_RATE_LIMIT_PER_MINUTE: '100000',
    PAYGATE_SHUTDOWN_GRACE_MS: String(GRACE_MS),
    PAYGATE_DATABASE_ACQUIRE_TIMEOUT_MS: '1000',
  });
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.warn('[redis-outage] cleanup failed', error));
});

async function scenario() {
  const group = new ProcessGroup();
  cleanups.push(() => group.killAll());
  const redisPort = await freePort();
  const redis = await startRedisServer(group, redisPort);
  const temp = await createTemporaryDatabase();
  cleanups.push(() => temp.drop());
  return { group, redisPort, redis, temp, redisUrl: `redis://127.0.0.1:${redisPort}/0` };
}

/** Sends SIGTERM, then takes the dependency away; resolves with the exit, or undefined if it is still running past grace + margin. */
async function stopWhileLosing(p: ManagedProcess, loseDependency: () => Promise<unknown>) {
  const termAt = performance.now();
  p.signal('SIGTERM');
  await loseDependency();
  const exit = await Promise.race([p.exited, after(GRACE_MS + EXIT_MARGIN_MS)]);
  return { exit, ms: exit ? Math.round(exit.at - termAt) : undefined };
}

describe.skipIf(!postgres || !redisServerHere)('stopping while a dependency is down (built binaries)', () => {
  it('a worker that gets SIGTERM and then loses Redis exits within the grace period', async () => {
    const s = await scenario();
    const worker = await s.group.worker(gatewayEnv(s.temp.url, s.redisUrl));
    const { exit, ms } = await stopWhileLosing(worker, async () => {
      s.redis.signal('SIGKILL');
      await s.redis.exited;
    });
    log(`worker SIGTERM then Redis gone: ${exit ? `exited code ${exit.code} after ${ms} ms` : 'still running'} (grace ${GRACE_MS} ms)`);
    expect(exit, worker.output()).toMatchObject({ code: 0, signal: null });
    expect(worker.output()).not.toMatch(/unhandled ?rejection/i);
  }, 60_000);

  it('a worker whose Redis is already down exits within the grace period on SIGTERM', async () => {
    const s = await scenario();
    const worker = await s.group.worker(gatewayEnv(s.temp.url, s.redisUrl));
    s.redis.signal('SIGKILL');
    await s.redis.exited;
    await expect.poll(() => /redis/i.test(worker.output()), { timeout: 10_000, interval: 50 }).toBe(true); // it noticed
    const { exit, ms } = await stopWhileLosing(worker, async () => undefined);
    log(`worker with Redis down, then SIGTERM: ${exit ? `exited code ${exit.code} after ${ms} ms` : 'still running'}`);
    expect(exit, worker.output()).toMatchObject({ code: 0, signal: null });
  }, 60_000);

  it('a worker and an API process that get SIGTERM and then lose PostgreSQL exit within the grace period', async () => {
    const s = await scenario();
    const target = new URL(POSTGRES_ADMIN_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanups.push(() => proxy.close());
    const env = gatewayEnv(throughProxy(s.temp.url, proxy.port), s.redisUrl);
    const worker = await s.group.worker(env);
    const server = await s.group.server(env, await freePort());
    expect((await apiClient(server.url, SEED_HEADERS)('POST', '/api/v1/orders', { amount: 100 })).status).toBe(201);
    const [w, a] = await Promise.all([stopWhileLosing(worker, async () => proxy.cut({ refuse: true })), stopWhileLosing(server, async () => undefined)]);
    log(
      `PostgreSQL cut after SIGTERM: worker ${w.exit ? `exited code ${w.exit.code} after ${w.ms} ms` : 'still running'}, API ${a.exit ? `exited code ${a.exit.code} after ${a.ms} ms` : 'still running'}`,
    );
    expect(w.exit, worker.output()).toMatchObject({ code: 0, signal: null });
    expect(a.exit, server.output()).toMatchObject({ code: 0, signal: null });
  }, 60_000);
});

type Tally = Record<string, number>;
const tally = (statuses: readonly (number | string)[]): Tally => statuses.reduce<Tally>((acc, s) => ((acc[String(s)] = (acc[String(s)] ?? 0) + 1), acc), {});
const UNHANDLED = /unhandled ?(promise )?rejection|uncaught ?exception/i;

describe.skipIf(!postgres || !redisServerHere)('Redis stopped under load (built binaries)', () => {
  it('no unhandled rejection, no 500, payments still created, processes still up; after Redis returns every payment settles', async () => {
    const s = await scenario();
    const env = gatewayEnv(s.temp.url, s.redisUrl);
    const server = await s.group.server(env, await freePort());
    const worker = await s.group.worker(env);
    const api = apiClient(server.url, SEED_HEADERS);

    // Lanes of order + payment pairs; all statuses and every created payment are kept.
    const statuses: Array<number | string> = [];
    const payments: string[] = [];
    let pairs = 0;
    let stopped = false;
    const TOTAL_PAIRS = 200;
    const lanes = Promise.all(
      Array.from({ length: 6 }, async () => {
        while (!stopped && pairs < TOTAL_PAIRS) {
          pairs += 1;
          try {
            const order = await api('POST', '/api/v1/orders', { amount: 1_000 });
            statuses.push(order.status);
            if (order.status !== 201) continue;
            const payment = await api('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' });
            statuses.push(payment.status);
            if (payment.status === 201) payments.push(payment.body.id);
          } catch (error) {
            statuses.push((error as Error).message);
          }
        }
      }),
    );
    try {
      // When Redis dies a quarter of the way in, and stays down for the next half
      await expect.poll(() => pairs, { timeout: 30_000, interval: 5 }).toBeGreaterThanOrEqual(TOTAL_PAIRS / 4);
      s.redis.signal('SIGKILL');
      await s.redis.exited;
      const atKill = payments.length;
      await expect.poll(() => pairs, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual((TOTAL_PAIRS * 3) / 4);
      const createdWhileDown = payments.length - atKill;
      const redisBack = await startRedisServer(s.group, s.redisPort, 'redis-server-2');
      await lanes;
      log(`Redis down under load: ${statuses.length} requests ${JSON.stringify(tally(statuses))}; ${createdWhileDown} payments created while Redis was down`);

      // Then nothing answered 500 (503 is allowed where Redis is needed), payments were created
      // throughout (the database is the truth), and no process saw an unhandled rejection
      expect(statuses.filter((st) => typeof st !== 'number' || st === 500 || (st !== 201 && st !== 503))).toEqual([]);
      expect(createdWhileDown).toBeGreaterThan(0);
      for (const p of [server, worker]) {
        expect(p.alive(), `${p.name} exited:\n${p.output()}`).toBe(true);
        expect(p.output(), p.name).not.toMatch(UNHANDLED);
      }

      // And once Redis is back, everything settles: the relay requeues what the outage dropped
      await expect.poll(async () => (await api('GET', '/api/v1/payments?status=pending&limit=1')).body.total, { timeout: 60_000, interval: 250 }).toBe(0);
      const settled = (await api('GET', '/api/v1/payments?status=success&limit=1')).body.total;
      expect(settled).toBe(payments.length);
      await expect.poll(async () => (await fetch(`${server.url}/ready`)).status, { timeout: 15_000, interval: 200 }).toBe(200);
      expect(redisBack.alive()).toBe(true);
    } catch (error) {
      stopped = true;
      console.error(s.group.dump());
      throw error;
    } finally {
      stopped = true;
      await lanes.catch(() => undefined);
    }
  }, 180_000);
});

// An unhandled rejection that slips through anyway (injected into the built binary through
// --import, fired on SIGUSR2) is logged, and the process stops and exits non-zero.
const INJECT_REJECTION = `data:text/javascript,process.on('SIGUSR2', () => { Promise.reject(new Error('injected rejection')); });`;

describe.skipIf(!postgres || !redisServerHere)('a process-level handler', () => {
  it.each(['worker', 'server'] as const)(
    'pg-cli %s logs an unhandled rejection and exits 1 within the grace period',
    async (command) => {
      const s = await scenario();
      const env = gatewayEnv(s.temp.url, s.redisUrl);
      const args = command === 'worker' ? [CLI_BIN, 'worker'] : [CLI_BIN, 'server', '--port', String(await freePort())];
      const p = await s.group.start(command, process.execPath, ['--import', INJECT_REJECTION, ...args], { env, ready: /ready/ });
      const firedAt = performance.now();
      p.signal('SIGUSR2');
      const exit = await Promise.race([p.exited, after(GRACE_MS + EXIT_MARGIN_MS)]);
      log(`${command} after an unhandled rejection: ${exit ? `exited code ${exit.code} after ${Math.round(exit.at - firedAt)} ms` : 'still running'}`);
      expect(exit, p.output()).toMatchObject({ code: 1, signal: null });
      expect(p.output()).toMatch(/"level":60.*unhandled promise rejection/);
      expect(p.output()).toContain('injected rejection');
    },
    60_000,
  );
});

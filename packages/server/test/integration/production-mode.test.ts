import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, ProcessGroup, apiClient, freePort } from '../helpers/processes.js';
import { createTemporaryDatabase, redisTestUrl, serviceAvailable } from '../helpers/services.js';

// Production by default (DESIGN.md "Production safety"), proved on the BUILT `pg-cli server` and
// `pg-cli worker` (npm run build first) as real child processes, with and without each switch.

const ready = (await serviceAvailable('postgres')) && (await serviceAvailable('redis'));

const SEED_HEADERS = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789' };
const SEED_CREDENTIALS = /key_test_abc123|secret_test_xyz789/;
const TEST_MODE_WARNING = /WARNING: test mode/;

const redisUrl = () => redisTestUrl('productionMode');

const FINGERPRINT_KEY = 'production-mode-test-fingerprint-key-0123';

/** The env of every child: ours, minus anything from the shell that would change the gateway. */
function baseEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('PAYGATE_') && !k.startsWith('TEST_') && !k.startsWith('WEBHOOK_') && !['PORT', 'HOST', 'NODE_ENV', 'LOG_LEVEL'].includes(k),
    ),
  );
  // Production requires the fingerprint key of Idempotency-Key (see .env.example); any will do here.
  return { ...inherited, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl(), LOG_LEVEL: 'warn', PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY: FINGERPRINT_KEY, ...extra };
}

/** Runs the CLI to its end (for a start that must be refused). */
async function runToExit(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [CLI_BIN, ...args], { env, timeout: 30_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number | null; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** Rows of the seed merchant in the database (0 when it was never even migrated). */
async function seedMerchantRows(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ t: string | null }>("select to_regclass('public.merchants') as t");
    if (tables[0]?.t === null) return 0;
    const { rows } = await client.query<{ n: string }>("select count(*) as n from merchants where api_key = 'key_test_abc123'");
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe.skipIf(!ready)('pg-cli server and worker are production unless test mode is asked for', () => {
  const group = new ProcessGroup();
  const drops: Array<() => Promise<void>> = [];
  const freshDatabase = async () => {
    const temp = await createTemporaryDatabase();
    drops.push(temp.drop);
    return temp.url;
  };

  beforeAll(async () => {
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    redis.disconnect();
  });
  afterEach(async () => {
    await group.killAll();
  });
  afterAll(async () => {
    for (const drop of drops.splice(0)) await drop();
  });

  const startServer = async (env: NodeJS.ProcessEnv, args: string[] = []) => {
    const port = await freePort();
    const p = await group.start('server', process.execPath, [CLI_BIN, 'server', '--port', String(port), ...args], { env, ready: /API ready at/ });
    return Object.assign(p, { url: `http://127.0.0.1:${port}` });
  };

  it('plain `server`: no seed merchant, no /api/v1/test/*, no test credentials in the 401, no warning', async () => {
    // Given a fresh database and no switch at all
    const databaseUrl = await freshDatabase();
    const server = await startServer(baseEnv(databaseUrl));
    const api = apiClient(server.url, SEED_HEADERS);

    // Then the seed's credentials are refused, and the refusal does not teach them
    const orders = await api('GET', '/api/v1/orders');
    expect(orders.status).toBe(401);
    expect(orders.body.error.code).toBe('AUTHENTICATION_ERROR');
    expect(JSON.stringify(orders.body)).not.toMatch(SEED_CREDENTIALS);
    const noSecret = await apiClient(server.url, { 'x-api-key': 'key_live_nobody' })('GET', '/api/v1/orders');
    expect(noSecret.status).toBe(401);
    expect(JSON.stringify(noSecret.body)).not.toMatch(SEED_CREDENTIALS);
    // and no test route exists
    expect((await api('POST', '/api/v1/test/reset', {})).status).toBe(404);
    expect((await api('POST', '/api/v1/test/merchants', { name: 'A', email: 'a@example.com' })).status).toBe(404);
    expect((await api('GET', '/api/v1/test/jobs/status')).status).toBe(404);
    // and nothing was seeded, nothing warned
    expect(await seedMerchantRows(databaseUrl)).toBe(0);
    expect(server.output()).not.toMatch(TEST_MODE_WARNING);
  });

  it('`server --test-mode`: warns on stderr naming what test mode enables; the seed merchant and test routes work', async () => {
    const server = await startServer(baseEnv(await freshDatabase()), ['--test-mode']);
    const api = apiClient(server.url, SEED_HEADERS);

    expect((await api('GET', '/api/v1/orders')).status).toBe(200);
    expect((await api('GET', '/api/v1/test/clock')).status).toBe(200);
    const warning = server
      .output()
      .split('\n')
      .find((l) => TEST_MODE_WARNING.test(l));
    expect(warning).toBeDefined();
    expect(warning).toMatch(/seed merchant/);
    expect(warning).toMatch(/\/api\/v1\/test\//);
    expect(warning).toMatch(/private/);
  });

  it('`TEST_MODE=true server` is test mode too (CI and the seed compose file use it)', async () => {
    const server = await startServer(baseEnv(await freshDatabase(), { TEST_MODE: 'true' }));
    const api = apiClient(server.url, SEED_HEADERS);
    expect((await api('GET', '/api/v1/orders')).status).toBe(200);
    expect((await api('POST', '/api/v1/test/reset', {})).status).toBe(200);
    expect(server.output()).toMatch(TEST_MODE_WARNING);
  });

  it('a production server on a database once used in test mode still refuses the seed credentials', async () => {
    // Given a database a test-mode server seeded
    const databaseUrl = await freshDatabase();
    const testServer = await startServer(baseEnv(databaseUrl, { TEST_MODE: 'true' }));
    expect(await seedMerchantRows(databaseUrl)).toBe(1);
    testServer.signal('SIGTERM');
    await testServer.exited;

    // When a production server starts on it
    const server = await startServer(baseEnv(databaseUrl));

    // Then the seed's public credentials open nothing
    const res = await apiClient(server.url, SEED_HEADERS)('GET', '/api/v1/orders');
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toMatch(SEED_CREDENTIALS);
  });

  it.each([
    ['server', '--test-mode', {}],
    ['server', 'TEST_MODE=true', { TEST_MODE: 'true' }],
    ['worker', '--test-mode', {}],
    ['worker', 'TEST_MODE=true', { TEST_MODE: 'true' }],
  ] as const)('PAYGATE_ENV=production with `%s` and %s refuses to start, exit code 2, a clear error', async (command, how, extra) => {
    const databaseUrl = await freshDatabase();
    const args = [command, ...(how === '--test-mode' ? ['--test-mode'] : []), ...(command === 'server' ? ['--port', String(await freePort())] : [])];
    const result = await runToExit(args, baseEnv(databaseUrl, { PAYGATE_ENV: 'production', ...extra }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PAYGATE_ENV=production/);
    expect(result.stderr).toMatch(/test mode/i);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).not.toMatch(/ready/);
    expect(await seedMerchantRows(databaseUrl)).toBe(0);
  });

  it('plain `server` without PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY refuses to start, exit code 2, naming it; a plain `worker` does not need it', async () => {
    const databaseUrl = await freshDatabase();
    const { PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY: _unused, ...withoutKey } = baseEnv(databaseUrl);
    const result = await runToExit(['server', '--port', String(await freePort())], withoutKey);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).not.toMatch(/ready/);
    await group.worker(withoutKey);
  });

  it('plain `worker` seeds nothing and does not warn; `worker --test-mode` warns and seeds the test merchant', async () => {
    const productionDb = await freshDatabase();
    const worker = await group.worker(baseEnv(productionDb));
    expect(await seedMerchantRows(productionDb)).toBe(0);
    expect(worker.output()).not.toMatch(TEST_MODE_WARNING);

    const testDb = await freshDatabase();
    const testWorker = await group.start('worker', process.execPath, [CLI_BIN, 'worker', '--test-mode'], { env: baseEnv(testDb), ready: /worker ready/ });
    expect(await seedMerchantRows(testDb)).toBe(1);
    expect(testWorker.output()).toMatch(TEST_MODE_WARNING);
  });

  it('`server` binds HOST (flag > PAYGATE_HOST > HOST > 127.0.0.1)', async () => {
    const databaseUrl = await freshDatabase();
    const port = await freePort();
    // Given HOST=127.0.0.2 (all of 127/8 is loopback)
    const server = await group.start('server', process.execPath, [CLI_BIN, 'server', '--port', String(port), '--json'], {
      env: baseEnv(databaseUrl, { HOST: '127.0.0.2' }),
      ready: /"status":"ready"/,
    });
    // Then it listens there, and only there
    expect(server.output()).toContain(`"url":"http://127.0.0.2:${port}"`);
    expect((await fetch(`http://127.0.0.2:${port}/health`)).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    server.signal('SIGTERM');
    await server.exited;

    // And the flag wins over the environment
    const flagged = await group.start('server', process.execPath, [CLI_BIN, 'server', '--port', String(port), '--host', '127.0.0.3', '--json'], {
      env: baseEnv(databaseUrl, { HOST: '127.0.0.2' }),
      ready: /"status":"ready"/,
    });
    expect(flagged.output()).toContain(`"url":"http://127.0.0.3:${port}"`);
    expect((await fetch(`http://127.0.0.3:${port}/health`)).status).toBe(200);
  });
});

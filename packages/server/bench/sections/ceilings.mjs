// The ceilings ours are divided by, measured in the same run as ours: what PostgreSQL does with
// single-row INSERTs (pgbench), what a bare Fastify route does over HTTP, what PGlite does alone.
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiClient, closedLoop, TEST_MERCHANT_HEADERS } from '../lib/api-client.mjs';
import { measureCpu, perUnitUs } from '../lib/cpu.mjs';
import { createTempDatabase } from '../lib/database.mjs';
import { wrkClosedLoop } from '../lib/wrk.mjs';

const child = (name) => fileURLToPath(new URL(`../children/${name}`, import.meta.url));

/** pgbench, 50 clients, one single-row INSERT per transaction into a scratch table shaped like orders. */
export async function pgbenchInsertCeiling({ clients, seconds }) {
  if (spawnSync('pgbench', ['--version']).status !== 0) return { skipped: 'pgbench not on PATH' };
  const db = await createTempDatabase('paygate_bench_pgbench');
  const dir = mkdtempSync(join(tmpdir(), 'paygate-bench-pgbench-'));
  try {
    await db.query(
      'CREATE TABLE scratch (id bigserial PRIMARY KEY, merchant_id text NOT NULL, amount bigint NOT NULL, currency text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
    );
    const script = join(dir, 'insert.sql');
    writeFileSync(script, "INSERT INTO scratch (merchant_id, amount, currency, status) VALUES ('merchant_1', 50000, 'INR', 'created');\n");
    const url = new URL(db.url);
    const args = [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(seconds),
      '-f',
      script,
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      url.username || 'postgres',
      db.name,
    ];
    const out = await new Promise((resolve, reject) => {
      const p = spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.stderr.on('data', (d) => (text += d));
      p.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench exited ${code}: ${text}`))));
    });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
    return { clients, seconds, tps: Math.round(tps) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

/** A bare Fastify POST route at `connections`, loaded as the orders are (`loadGenerator`: 'wrk' or 'node'). */
export async function bareFastifyCeiling(children, { connections, seconds, loadGenerator = 'node' }) {
  const app = await children.start('bare-fastify', process.execPath, [child('bare-fastify.mjs')], { ready: /ready (\d+)/ });
  const url = `http://127.0.0.1:${app.readyMatch[1]}`;
  const order = { amount: 50000, currency: 'INR' };
  const api = apiClient(url, connections);
  try {
    await closedLoop(connections, 500, () => api.post('/api/v1/orders', order)); // warm up
    const run =
      loadGenerator === 'wrk'
        ? () => wrkClosedLoop(`${url}/api/v1/orders`, { connections, seconds, headers: TEST_MERCHANT_HEADERS, body: JSON.stringify(order) })
        : () => closedLoop(connections, seconds * 1000, () => api.post('/api/v1/orders', order));
    const { result, spentMs } = await measureCpu(async () => new Map([[app.pid, 'fastify']]), run);
    return {
      connections,
      seconds,
      load_generator: loadGenerator,
      requests_per_second: Math.round(result.done / result.seconds),
      errors: result.errors,
      cpu_us_per_request: perUnitUs(spentMs, result.done),
    };
  } finally {
    await api.close();
    await children.stop(app);
  }
}

/** PGlite single-row INSERTs, serially, on disk, in a process of its own. */
export async function pgliteInsertCeiling(children, { seconds }) {
  const p = await children.start('pglite-ceiling', process.execPath, [child('pglite-insert-ceiling.mjs'), String(seconds)], {
    ready: null,
    timeoutMs: 60_000 + seconds * 1000,
  });
  return { seconds, ...JSON.parse(p.benchOutput) };
}

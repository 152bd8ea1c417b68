#!/usr/bin/env node
// npm run bench -- --help
// Split mode, as in production: one `pg-cli server` and N `pg-cli worker` processes on PostgreSQL
// and Redis, a real webhook receiver here. Reports payments webhooked per second (POST /payments
// → verified payment.success webhook) and latency percentiles. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Pool } from 'undici';

const OPTIONS = {
  payments: { type: 'string', default: '2000' },
  concurrency: { type: 'string', default: '64' },
  workers: { type: 'string', default: '2' },
  'worker-concurrency': { type: 'string', default: '50' },
  port: { type: 'string', default: '8790' },
  json: { type: 'boolean', default: false },
  profile: { type: 'string' }, // a folder: every server and worker writes a V8 CPU profile there
  keep: { type: 'boolean', default: false }, // keep the database afterwards, to look at timings
  // Open loop: start a payment every 1/rate s (at most --concurrency in flight), as real traffic
  // arrives, instead of as fast as the API answers. Flat latency at a rate = sustained, no backlog.
  rate: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};
let args;
try {
  ({ values: args } = parseArgs({ options: OPTIONS }));
} catch (error) {
  console.error(`${error.message}\nSee: npm run bench -- --help`);
  process.exit(2);
}
if (args.help) {
  console.log(`Measures Paygate in split mode: payments webhooked per second, and latency from POST /payments
to a verified payment.success webhook. Starts 1 \`pg-cli server\` and --workers \`pg-cli worker\` processes
on a fresh PostgreSQL database and Redis db 9 (PAYGATE_TEST_POSTGRES_URL, PAYGATE_TEST_REDIS_URL).
Run \`npm run build\` first.

  npm run bench -- [options]

  --payments N            payments to make (default 2000)
  --concurrency N         requests in flight at most (default 64)
  --rate R                open loop: start a payment every 1/R s instead of as fast as the API
                          answers; latency that stays flat across the run means R is sustained
  --workers N             worker processes (default 2)
  --worker-concurrency N  jobs each worker runs at once (default 50)
  --port N                API port (default 8790)
  --profile DIR           write a V8 CPU profile of every server and worker into DIR
  --keep                  keep the database afterwards, to look at its rows
  --json                  one JSON line instead of a table

Example: npm run bench -- --payments 30000 --rate 1000 --concurrency 256`);
  process.exit(0);
}
const N = Number(args.payments);
const CONCURRENCY = Number(args.concurrency);
const PORT = Number(args.port);
const ADMIN = process.env.PAYGATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = (process.env.PAYGATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379') + '/9';
const CLI = fileURLToPath(new URL('../../cli/bin/run.js', import.meta.url));
const progress = (msg) => process.stderr.write(`${msg}\n`);

// CPU time (user + system, ms) of every process on the box, by pid, from /proc: where the two cores
// went during the run, per component (server, workers, PostgreSQL backends, Redis, this client).
const TICK_MS = 10; // USER_HZ is 100 on Linux
function cpuByPid() {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(pid), { comm, ms: (Number(f[11]) + Number(f[12])) * TICK_MS });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}
function cpuSpent(before, after, roleOf) {
  const spent = {};
  for (const [pid, { comm, ms }] of after) {
    const role = roleOf(pid, comm);
    if (!role) continue;
    spent[role] = (spent[role] ?? 0) + ms - (before.get(pid)?.ms ?? 0);
  }
  return spent;
}

const dbName = `paygate_bench_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(ADMIN);
dbUrl.pathname = `/${dbName}`;

const env = {
  ...process.env,
  DATABASE_URL: dbUrl.toString(),
  REDIS_URL,
  TEST_MODE: 'true',
  TEST_PROCESSING_DELAY: '0',
  PAYGATE_RATE_LIMIT_PER_MINUTE: '0',
  LOG_LEVEL: 'warn',
};
const children = [];
const start = (cmd, extra = []) =>
  new Promise((resolve, reject) => {
    const profiling = args.profile && cmd !== 'migrate' ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
    const child = spawn(process.execPath, [...profiling, CLI, cmd, ...extra], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    child.stdout.on('data', (d) => String(d).includes('ready') && resolve(child));
    // migrate finishes (exit 0) instead of printing "ready"
    child.once('exit', (code) => (code === 0 && cmd === 'migrate' ? resolve(child) : reject(new Error(`${cmd} exited with ${code}`))));
  });
const cleanup = async () => {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  if (args.keep) progress(`kept database ${dbName}`);
  else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
};

try {
  progress(`starting 1 server + ${args.workers} workers on ${dbName} …`);
  await start('migrate');
  await start('server', ['--port', String(PORT)]);
  for (let i = 0; i < Number(args.workers); i += 1) await start('worker', ['--concurrency', args['worker-concurrency']]);

  const sentAt = new Map();
  const early = new Map(); // webhooks that beat the POST response home
  const latencies = [];
  const timeline = []; // [sent at (ms since start), latency]: is the backlog growing over the run?
  const record = (ms, sentAt) => {
    latencies.push(ms);
    timeline.push([sentAt - t0, ms]);
    if (latencies.length === N) done();
  };
  let bad = 0;
  let done;
  const allDone = new Promise((r) => (done = r));
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.end('OK');
      const expected = createHmac('sha256', 'whsec_test_abc123').update(body).digest('hex');
      if (req.headers['x-webhook-signature'] !== expected) return void (bad += 1);
      const id = JSON.parse(body).data.payment.id;
      const sent = sentAt.get(id);
      if (sent === undefined) return void early.set(id, performance.now());
      sentAt.delete(id);
      record(performance.now() - sent, sent);
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${receiver.address().port}/webhook`;

  // undici's own request API on a keep-alive pool: the load client shares the two cores with
  // what it measures, and costs a third of what fetch does per request.
  const api = new Pool(`http://127.0.0.1:${PORT}`, { connections: CONCURRENCY });
  const headers = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789', 'content-type': 'application/json' };
  const call = async (method, path, body) => {
    const res = await api.request({ method, path: `/api/v1${path}`, headers, body: JSON.stringify(body) });
    if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${await res.body.text()}`);
    return res.body.json();
  };
  const post = (path, body) => call('POST', path, body);
  await call('PUT', '/webhooks/config', { webhook_url: hookUrl, events: ['payment.success'] });

  progress(`creating ${N} orders …`);
  const orders = [];
  for (let i = 0; i < N; i += CONCURRENCY) {
    orders.push(...(await Promise.all(Array.from({ length: Math.min(CONCURRENCY, N - i) }, () => post('/orders', { amount: 50000, currency: 'INR' })))));
  }
  const RATE = args.rate ? Number(args.rate) : undefined;
  progress(RATE ? `paying them at ${RATE}/s …` : `paying them, ${CONCURRENCY} at a time …`);
  const cpuBefore = cpuByPid();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        const order = orders[i];
        if (RATE) {
          const due = t0 + (i * 1000) / RATE;
          if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
        }
        const started = performance.now();
        const p = await post('/payments', { order_id: order.id, method: 'upi', vpa: 'success@paygate' });
        if (early.has(p.id)) record(early.get(p.id) - started, started);
        else sentAt.set(p.id, started);
      }
    }),
  );
  const postedIn = performance.now() - t0;
  await Promise.race([allDone, new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${latencies.length}/${N} webhooks`)), 120_000))]);
  const total = performance.now() - t0;
  const roles = new Map(children.map((c) => [c.pid, c.spawnargs.includes('worker') ? 'workers' : 'server']));
  roles.set(process.pid, 'client_and_receiver');
  const spent = cpuSpent(
    cpuBefore,
    cpuByPid(),
    (pid, comm) => roles.get(pid) ?? (comm === 'postgres' ? 'postgres' : comm === 'redis-server' ? 'redis' : undefined),
  );
  const cpuPerPayment = Object.fromEntries(Object.entries(spent).map(([role, ms]) => [role, Number(((ms / N) * 1000).toFixed(0))]));
  latencies.sort((a, b) => a - b);
  const pctOf = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const pct = (p) => pctOf(latencies, p).toFixed(1);
  // p50/p99 of the payments sent in each fifth of the run: flat means no backlog building up
  const fifths = Array.from({ length: 5 }, (_, k) => {
    const span = postedIn / 5;
    const window = timeline
      .filter(([at]) => at >= k * span && (k === 4 || at < (k + 1) * span))
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
    return window.length ? `${Math.round(pctOf(window, 50))}/${Math.round(pctOf(window, 99))}` : '-';
  });
  const result = {
    payments: N,
    client_concurrency: CONCURRENCY,
    ...(RATE ? { offered_rate: RATE } : {}),
    workers: Number(args.workers),
    posts_per_second: Math.round(N / (postedIn / 1000)),
    webhooked_per_second: Math.round(N / (total / 1000)),
    p50_ms: Number(pct(50)),
    p99_ms: Number(pct(99)),
    max_ms: Number(latencies.at(-1).toFixed(1)),
    p50_p99_ms_by_fifth_of_run: fifths.join('  '),
    bad_signatures: bad,
    // CPU µs per payment, by component: the budget at 1,000/s on 2 cores is 2,000 µs in all
    cpu_us_per_payment: cpuPerPayment,
    cpu_us_per_payment_total: Object.values(cpuPerPayment).reduce((a, b) => a + b, 0),
  };
  console.log(
    args.json
      ? JSON.stringify(result)
      : Object.entries(result)
          .map(([k, v]) => `${k.padEnd(26)} ${typeof v === 'object' ? JSON.stringify(v) : v}`)
          .join('\n'),
  );
  receiver.close();
  await api.close();
} finally {
  await cleanup();
}

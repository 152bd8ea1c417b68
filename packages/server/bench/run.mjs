#!/usr/bin/env node
// npm run bench -- --help
// One command, one run: the ceilings (pgbench INSERT, a bare Fastify route, PGlite INSERT) and
// ours (orders, payments end to end closed and open loop, one payment in flight, in split and in
// embedded mode, `pg-cli dev` start), each as a ratio to its ceiling, with the CPU every process
// involved spent per unit; on request, the same payments run scaled out over API processes and
// workers. Writes JSON. Needs `npm run build` first.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { measureIdle } from './lib/cpu.mjs';
import { startEmbedded, startSplit, WORKER_CONCURRENCY } from './lib/deployments.mjs';
import { warmUp } from './lib/payments-driver.mjs';
import { Children } from './lib/processes.mjs';
import { readyDeployment } from './lib/ready-deployment.mjs';
import { cpuBreakdown, formatTable, reportRows, SCALE_HEAD, scaleRows } from './lib/report.mjs';
import { throughputLatencyChart } from './lib/svg-chart.mjs';
import { wrkAvailable } from './lib/wrk.mjs';
import { bareFastifyCeiling, pgbenchInsertCeiling, pgliteInsertCeiling } from './sections/ceilings.mjs';
import { devStartSection } from './sections/dev-start.mjs';
import { ordersSection } from './sections/orders.mjs';
import { paymentsRun, singleFlight } from './sections/payments.mjs';
import { scaleOutSection } from './sections/scale-out.mjs';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SECTIONS = ['pgbench', 'fastify', 'orders', 'e2e', 'open', 'single', 'keyed', 'pglite', 'embedded', 'dev-start', 'scale'];
// scale starts five deployments and runs --payments on each: it would double the default run.
const DEFAULT_SECTIONS = SECTIONS.filter((s) => s !== 'scale');
const ALIASES = { ceilings: ['pgbench', 'fastify', 'pglite'], split: ['orders', 'e2e', 'open', 'single', 'keyed'] };

const OPTIONS = {
  only: { type: 'string' },
  payments: { type: 'string', default: '3000' },
  concurrency: { type: 'string', default: '64' },
  rate: { type: 'string', default: '2000' },
  'open-seconds': { type: 'string', default: '30' },
  'single-payments': { type: 'string', default: '200' },
  'single-warm-up': { type: 'string', default: '20' },
  'scale-warm-up': { type: 'string', default: '5000' },
  'webhook-events': { type: 'string', default: 'payment.success' },
  connections: { type: 'string', default: '50' },
  'load-generator': { type: 'string', default: 'auto' },
  seconds: { type: 'string', default: '8' },
  workers: { type: 'string', default: '2' },
  'api-processes': { type: 'string', default: '1' },
  'worker-concurrency': { type: 'string', default: String(WORKER_CONCURRENCY) },
  sweep: { type: 'string' },
  'sweep-seconds': { type: 'string', default: '8' },
  'sweep-warm-up': { type: 'string', default: '5000' },
  chart: { type: 'string', default: resolve(REPO, 'docs/performance-sweep.svg') },
  out: { type: 'string' },
  profile: { type: 'string' },
  keep: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};
const HELP = `Measures Paygate against its ceilings in one run, and the CPU each payment costs in all.

  npm run bench -- [options]

Sections (all but scale by default; pick with --only a,b,c):
  pgbench    ceiling: PostgreSQL single-row INSERT tps (pgbench, --connections clients, a scratch table)
  fastify    ceiling: a bare Fastify POST route under the bench's own load generator
  pglite     ceiling: PGlite single-row INSERTs, serial, on disk (embedded mode's database)
  orders     POST /api/v1/orders, --connections in flight, closed loop, split mode
  e2e        split mode, closed loop: --payments payments, --concurrency in flight, POST → verified webhook
  open       split mode, open loop: --rate payments/s offered for --open-seconds (the issue's
             target: 2,000/s held for 30 s), with p50/p99 by fifth of the run (flat = held)
  single     split mode, one payment in flight (the next POST waits for the previous webhook):
             --single-payments payments, p50/p99, the p50 of each stage (API started,
             answered, worker settling, webhook arrived), the stages of the p99 payment and
             the span the slowest 3 % lost the most in;
             it starts on a database at rest (autovacuum done, VACUUM, CHECKPOINT)
  keyed      split mode, after the others: POST /api/v1/orders as the orders section, each with a
             fresh Idempotency-Key (as retrying SDKs send), next to the plain figure
  embedded   pg-cli dev (PGlite, in-process queue): closed loop and one payment in flight
  dev-start  pg-cli dev from spawn to ready, fresh data dir (cold) and again (warm), the first order
             sent at ready, idle RSS
  scale      not run by default (5 deployments, --payments each: it would double the run): the e2e
             closed loop on a fresh split deployment per API processes × workers, 1 × 1, 1 × 2,
             1 × 4, 2 × 2 and 2 × 4 (--workers and --api-processes do not apply); payments/s,
             p50/p99, CPU µs per payment by process, PostgreSQL's share of it, its busy backends
             and what they wait on. Each shape first pays --scale-warm-up payments, not
             measured: every process compiles its own code as it warms up, and over a few
             thousand payments that was most of what a shape with more processes measured
  aliases: ceilings = pgbench,fastify,pglite; split = orders,e2e,open,single,keyed

Split mode runs --api-processes \`pg-cli server\` (each on its own port; the load generator spreads
requests over them round-robin) + --workers \`pg-cli worker\` on a fresh database on
PAYGATE_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) and a private
redis-server on a free port. CPU per payment sums user+sys time of the servers, the workers, this
database's PostgreSQL backends, the private Redis and the bench itself (load generator and webhook
receiver); it moves far less with machine load than throughput does, so compare it first.

Options:
  --only LIST             sections to run (see above)
  --payments N            payments per e2e run (closed loop, split and embedded), and per configuration
                          of scale (default 3000)
  --concurrency N         payments in flight at most (default 64)
  --rate R                open loop offered rate, payments/s (default 2000)
  --open-seconds S        how long the open loop offers --rate (default 30)
  --single-payments N     payments for the one-in-flight latency (default 200)
  --single-warm-up N      lone payments first, not measured (default 20; V8 still compiles the lone
                          path's warm functions after thousands, see docs/performance.md)
  --scale-warm-up N       payments each scale shape makes first, in the same closed loop, not
                          measured (default 5000: each of its processes warmed up, as in a full
                          run; 0: none, a cold gateway measured)
  --webhook-events LIST   events the merchant subscribes to (default payment.success, the measured one);
                          \`all\`: every event, as a merchant who keeps the default (payment.created and
                          payment.pending are sent too, and counted, not waited for)
  --connections N         connections for pgbench, bare Fastify and orders (default 50)
  --load-generator G      what loads bare Fastify, orders and keyed: wrk (a C client, as pgbench is
                          one; apt-get install wrk), node (the bench's own client, which every
                          figure before the forty-first sitting used), or auto (default: wrk where
                          installed, else node; the report says which ran)
  --seconds S             duration of pgbench, bare Fastify, PGlite and orders (default 8)
  --workers N             worker processes in split mode (default 2)
  --api-processes N       API processes (pg-cli server) in split mode (default 1)
  --worker-concurrency N  jobs each worker runs at once (default ${WORKER_CONCURRENCY})
  --sweep R1,R2,...       instead of the sections: open loop at each rate (split mode), then
                          write an SVG of throughput and p99 against offered load to --chart
  --sweep-seconds S       seconds of offered load per rate (default 8)
  --sweep-warm-up N       payments first, --concurrency in flight, not measured (default 5000: the
                          gateway's processes warmed up before the lowest rate, as in a full run;
                          0: none)
  --chart FILE            where --sweep writes its SVG (default docs/performance-sweep.svg)
  --out FILE              JSON result (default bench-results/bench-<time>.json at the repo root)
  --profile DIR           every server, worker and dev process writes a V8 CPU profile into DIR
  --keep                  keep the split-mode database afterwards
  --json                  print the JSON result instead of the table

Examples:
  npm run build && npm run bench
  npm run bench -- --only orders,e2e --payments 2000
  npm run bench -- --only e2e --api-processes 2 --workers 4
  npm run bench -- --only scale --payments 5000
  npm run bench -- --only single,embedded --profile /tmp/prof
  npm run bench -- --sweep 200,400,800,1200,1600 --sweep-seconds 10

Against the performance targets (full runs, three in a row):
  node packages/server/bench/targets.mjs run-1.json run-2.json run-3.json`;

let args;
try {
  ({ values: args } = parseArgs({ options: OPTIONS }));
} catch (error) {
  console.error(`${error.message}\nSee: npm run bench -- --help`);
  process.exit(2);
}
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const wanted = new Set((args.only ?? DEFAULT_SECTIONS.join(',')).split(',').flatMap((s) => ALIASES[s.trim()] ?? [s.trim()]));
const unknown = [...wanted].filter((s) => !SECTIONS.includes(s));
if (unknown.length) {
  console.error(`--only: unknown section ${unknown.join(', ')}; known: ${SECTIONS.join(', ')} (aliases ${Object.keys(ALIASES).join(', ')})`);
  process.exit(2);
}
/** An option's number: positive; with `orNone` (a warm-up), a whole number of payments, 0 for none. */
const num = (name, { orNone = false } = {}) => {
  const v = Number(args[name]);
  if (orNone ? !(Number.isInteger(v) && v >= 0) : !(Number.isFinite(v) && v > 0)) {
    console.error(`--${name}: expected ${orNone ? 'a number of payments, 0 or more' : 'a positive number'}, got "${args[name]}"`);
    process.exit(2);
  }
  return v;
};
/** The events the bench merchant subscribes to: payment.success (each payment's measured webhook) unless --webhook-events says more. */
const webhookEvents = () => {
  const list = args['webhook-events'] === 'all' ? null : args['webhook-events'].split(',').map((e) => e.trim());
  if (list && !list.includes('payment.success')) {
    console.error(`--webhook-events: must include payment.success (each payment's measured webhook), got "${args['webhook-events']}"`);
    process.exit(2);
  }
  return list;
};
/** --load-generator resolved: 'wrk' or 'node'. */
const loadGenerator = (() => {
  const g = args['load-generator'];
  if (!['auto', 'wrk', 'node'].includes(g)) {
    console.error(`--load-generator: expected auto, wrk or node, got "${g}"`);
    process.exit(2);
  }
  if (g === 'node') return 'node';
  if (wrkAvailable()) return 'wrk';
  if (g === 'wrk') {
    console.error('--load-generator wrk: wrk is not on PATH (apt-get install -y wrk), or use --load-generator node');
    process.exit(2);
  }
  return 'node';
})();
const roundAll = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]));
const progress = (msg) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

const children = new Children();
const stopEverything = async () => {
  await children.stopAll();
};
process.on('SIGINT', () => void stopEverything().finally(() => process.exit(130)));

const result = {
  started_at: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, loadavg_1m_at_start: Number(loadavg()[0].toFixed(2)), node: process.version },
  options: Object.fromEntries(Object.entries(args).filter(([k]) => !['help', 'json'].includes(k))),
  ceilings: {},
};

/** Starts a deployment, points its webhooks at a fresh receiver, runs `body`, stops it all. */
async function withDeployment(start, body) {
  const deployment = await start();
  let ready;
  try {
    progress(`${deployment.mode}: warm-up, then idle CPU for 3 s …`);
    ready = await readyDeployment(deployment, { connections: Math.max(num('concurrency'), num('connections')), webhookEvents: webhookEvents() });
    deployment.idleCpuMsPerS = await measureIdle(deployment);
    const out = await body(deployment, ready.api, ready.receiver);
    return Array.isArray(out) ? out : { idle_cpu_ms_per_s: roundAll(deployment.idleCpuMsPerS), ...out };
  } finally {
    await ready?.close();
    await deployment.stop();
  }
}
const splitOptions = () => ({ workerConcurrency: num('worker-concurrency'), profileDir: args.profile, keep: args.keep });
const split = () => startSplit(children, { ...splitOptions(), apiProcesses: num('api-processes'), workers: num('workers') });
/** A fresh split deployment of one scale-out shape ({ apiProcesses, workers }) around `body`. */
const withSplit = (shape, body) => withDeployment(() => startSplit(children, { ...splitOptions(), ...shape }), body);
const embedded = () => startEmbedded(children, { profileDir: args.profile });

try {
  if (args.sweep) {
    const rates = args.sweep.split(',').map(Number);
    if (rates.some((r) => !(r > 0))) throw new Error(`--sweep: expected rates like 200,400,800, got "${args.sweep}"`);
    result.sweep = await withDeployment(split, async (deployment, api, receiver) => {
      const warmUpPayments = num('sweep-warm-up', { orNone: true });
      if (warmUpPayments > 0) {
        progress(`sweep: ${warmUpPayments} payments first, not measured …`);
        await warmUp(api, receiver, { payments: warmUpPayments, concurrency: num('concurrency') });
      }
      const points = [];
      for (const rate of rates) {
        progress(`sweep: ${rate}/s for ${args['sweep-seconds']} s …`);
        const run = await paymentsRun(deployment, api, receiver, { payments: Math.round(rate * num('sweep-seconds')), concurrency: 512, rate });
        points.push(run);
        progress(`  → ${run.webhooked_per_second}/s webhooked, p99 ${run.p99_ms} ms, ${run.cpu_us_per_payment.total} µs CPU/payment`);
      }
      return points;
    });
    const svg = throughputLatencyChart(
      result.sweep.map((p) => ({ offered: p.offered_rate, throughput: p.webhooked_per_second, p99: p.p99_ms })),
      {
        title: `Paygate split mode, ${args['api-processes']} API + ${args.workers} workers: offered load vs throughput and p99`,
        subtitle: `${result.started_at.slice(0, 16)}Z, ${result.machine.cpus} cores, load average ${result.machine.loadavg_1m_at_start} at start`,
      },
    );
    mkdirSync(dirname(args.chart), { recursive: true });
    writeFileSync(args.chart, svg);
    progress(`chart written to ${args.chart}`);
  } else {
    const ceilingSeconds = num('seconds');
    if (wanted.has('pgbench')) {
      progress('ceiling: pgbench single-row INSERT …');
      result.ceilings.pgbench_insert = await pgbenchInsertCeiling({ clients: num('connections'), seconds: ceilingSeconds });
    }
    if (wanted.has('fastify')) {
      progress('ceiling: bare Fastify route …');
      result.ceilings.bare_fastify = await bareFastifyCeiling(children, { connections: num('connections'), seconds: ceilingSeconds, loadGenerator });
    }
    if (wanted.has('pglite')) {
      progress('ceiling: PGlite single-row INSERT …');
      result.ceilings.pglite_insert = await pgliteInsertCeiling(children, { seconds: ceilingSeconds });
    }
    if (['orders', 'e2e', 'open', 'single', 'keyed'].some((s) => wanted.has(s))) {
      result.split = await withDeployment(split, async (deployment, api, receiver) => {
        const out = {};
        if (wanted.has('orders')) {
          progress(`split: POST /orders at ${args.connections} connections …`);
          out.orders = await ordersSection(deployment, api, { connections: num('connections'), seconds: ceilingSeconds, loadGenerator });
        }
        if (wanted.has('e2e')) {
          progress(`split: ${args.payments} payments, closed loop, ${args.concurrency} in flight …`);
          out.e2e_closed = await paymentsRun(deployment, api, receiver, { payments: num('payments'), concurrency: num('concurrency') });
        }
        if (wanted.has('open')) {
          const offered = Math.round(num('rate') * num('open-seconds'));
          progress(`split: ${offered} payments, open loop at ${args.rate}/s for ${args['open-seconds']} s …`);
          out.e2e_open = await paymentsRun(deployment, api, receiver, { payments: offered, concurrency: 512, rate: num('rate') });
        }
        if (wanted.has('single')) {
          progress(`split: ${args['single-payments']} payments, one in flight …`);
          out.single_flight = await singleFlight(deployment, api, receiver, { payments: num('single-payments'), warmUp: num('single-warm-up') });
        }
        // Last, so that the keys' records it leaves change no figure above
        if (wanted.has('keyed')) {
          progress(`split: POST /orders with an Idempotency-Key each, at ${args.connections} connections …`);
          out.orders_keyed = await ordersSection(deployment, api, {
            connections: num('connections'),
            seconds: ceilingSeconds,
            idempotencyKeys: true,
            loadGenerator,
          });
        }
        return out;
      });
    }
    if (wanted.has('embedded')) {
      result.embedded = await withDeployment(embedded, async (deployment, api, receiver) => {
        progress(`embedded: ${args.payments} payments, closed loop …`);
        const e2e_closed = await paymentsRun(deployment, api, receiver, { payments: num('payments'), concurrency: num('concurrency') });
        progress(`embedded: ${args['single-payments']} payments, one in flight …`);
        const single_flight = await singleFlight(deployment, api, receiver, { payments: num('single-payments'), warmUp: num('single-warm-up') });
        return { e2e_closed, single_flight };
      });
    }
    if (wanted.has('dev-start')) {
      progress('pg-cli dev: cold and warm start …');
      result.dev_start = await devStartSection(children);
    }
    if (wanted.has('scale')) {
      result.scale = await scaleOutSection(withSplit, {
        payments: num('payments'),
        warmUpPayments: num('scale-warm-up', { orNone: true }),
        concurrency: num('concurrency'),
        progress,
      });
    }
  }
  result.machine.loadavg_1m_at_end = Number(loadavg()[0].toFixed(2));
  const out = args.out ?? resolve(REPO, 'bench-results', `bench-${result.started_at.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  if (args.json) console.log(JSON.stringify(result));
  else if (!args.sweep) {
    const rows = reportRows(result);
    const breakdown = cpuBreakdown(result);
    if (rows.length) console.log(formatTable(rows));
    if (breakdown) console.log(`\nCPU µs per unit by process (load-independent-ish; compare these first):\n${breakdown}`);
    if (result.split) console.log(`\nsplit mode: ${args['api-processes']} API process(es) + ${args.workers} workers`);
    if (result.scale) {
      console.log(
        `\nScale-out, closed loop, ${args.payments} payments and ${args.concurrency} in flight per configuration (CPU µs per payment in all and by process):`,
      );
      console.log(formatTable(scaleRows(result), SCALE_HEAD));
      console.log(
        [
          'PostgreSQL is the limit where payments/s stop rising as processes are added while its share of the CPU, its busy backends or its',
          'waits (IO:WALSync = commits waiting for the disk, Lock = row locks; CPU = running or waiting for a core) grow. Every process',
          `shares the same ${result.machine.cpus} cores: "cores busy" near that number means the machine, not PostgreSQL, is the limit.`,
        ].join('\n'),
      );
    }
    console.log(`\nload average ${result.machine.loadavg_1m_at_start} → ${result.machine.loadavg_1m_at_end} on ${result.machine.cpus} cores; JSON: ${out}`);
  } else console.log(`JSON: ${out}`);
} catch (error) {
  process.exitCode = 1;
  console.error(error.stack ?? error);
} finally {
  await stopEverything();
  // A section that failed half-way can leave a socket or a pool open, and the run would then
  // never end (seen when a child exited at start): the result is written, so end here.
  process.exit();
}

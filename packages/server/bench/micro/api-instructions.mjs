// Instructions the API process executes per `POST /api/v1/orders`, counted by callgrind: a count
// that no other load on the machine can move, where the API's CPU time an order moves by a third
// from one run to the next on a shared host (docs/performance.md). Two runs of `pg-cli server`
// under valgrind, the same warm-up in both, then N orders in one and none in the other: start-up,
// warm-up and shutdown cancel out in the difference. Needs `npm run build`, valgrind (Debian:
// `apt-get install -y valgrind`), PostgreSQL and redis-server (as the bench does); about three
// minutes with the defaults:
//   node packages/server/bench/micro/api-instructions.mjs [--orders 8000] [--warm-up 8000] [--top 25]
//     [--target api|bare-fastify] [--route orders|payments] [--callers REGEX] [--keep]
// `--target bare-fastify` counts the bench's HTTP ceiling (children/bare-fastify.mjs: one Fastify
// POST route, no auth, no database) the same way: the floor that Node's HTTP and Fastify set under
// the API's own figure, in the same unit. `--route payments` counts `POST /api/v1/payments` instead
// (`--orders` payments, a UPI success each, on orders both runs create beforehand so that the orders
// cancel out; no worker runs, so each payment's job waits in Redis): the API's side of a payment.
// `--callers REGEX`: who called the functions whose name matches, and `--keep` (leave the two
// callgrind files and print their paths), as worker-instructions.mjs says.
// Prints instructions an order in all, without V8's compiling, without compiling and garbage
// collection, by kind (date formatting, JSON, …) and the named functions that grew most. Compare
// two versions of the code by running it on each, more than once, by the figure without compiling
// and collection: four runs of one version (a2d6e99) gave 222,840–227,021 without compiling and
// 230,287–250,461 in all; where a major collection falls moved a payment's figure by up to 60,000
// (callgrind-counts.mjs). The warm-up matters: after 1,000 orders V8 is still compiling the hot
// path, and that compilation counted as much as the orders themselves.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apiClient } from '../lib/api-client.mjs';
import { createOrders } from '../lib/payments-driver.mjs';
import { createTempDatabase } from '../lib/database.mjs';
import { BENCH_ENV } from '../lib/deployments.mjs';
import { CLI, Children, freePort, startCli, startRedis } from '../lib/processes.mjs';
import { callgrindRun, keepOrRemove, printCallers, printInstructionCounts, selfByFunction, stopCounted } from './callgrind-counts.mjs';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '8000' },
    'warm-up': { type: 'string', default: '8000' },
    connections: { type: 'string', default: '50' },
    top: { type: 'string', default: '25' },
    callers: { type: 'string' },
    target: { type: 'string', default: 'api' },
    route: { type: 'string', default: 'orders' },
    keep: { type: 'boolean', default: false },
  },
});
const orders = Number(args.orders);
const warmUp = Number(args['warm-up']);
const connections = Number(args.connections);
if (!['api', 'bare-fastify'].includes(args.target)) throw new Error(`--target is api or bare-fastify, not ${args.target}`);
if (!['orders', 'payments'].includes(args.route)) throw new Error(`--route is orders or payments, not ${args.route}`);
if (args.route === 'payments' && args.target !== 'api') throw new Error('--route payments counts the API (--target api)');
const unit = args.route === 'payments' ? 'a payment' : 'an order';

/** Starts the counted process (the API, or the bare route) and what it needs; resolves with it and its port. */
async function startTarget(children, startCounted, db) {
  if (args.target === 'bare-fastify') {
    const script = fileURLToPath(new URL('../children/bare-fastify.mjs', import.meta.url));
    const app = await startCounted('bare-fastify', [script], { ready: /ready (\d+)/ });
    return { process: app, port: Number(app.readyMatch[1]) };
  }
  const redisUrl = await startRedis(children);
  const env = { ...process.env, ...BENCH_ENV, DATABASE_URL: db.url, REDIS_URL: redisUrl };
  await startCli(children, 'migrate', ['migrate'], { env, ready: null });
  const port = await freePort();
  const server = await startCounted('server', [CLI, 'server', '--port', String(port)], { env });
  return { process: server, port };
}

/** One run of the target under callgrind; resolves with its profile file and the directory to remove. */
async function countRun(measuredOrders) {
  const children = new Children();
  const db = args.target === 'api' ? await createTempDatabase('paygate_micro_api') : null;
  try {
    return await callgrindRun(children, { perfMap: args.callers !== undefined }, async (startCounted) => {
      const { process: counted, port } = await startTarget(children, startCounted, db);
      const api = apiClient([`http://127.0.0.1:${port}`], connections);
      // Every run makes the same orders (those the measured run pays too): only the payments differ.
      const toPay = args.route === 'payments' ? (await createOrders(api, warmUp + orders, connections)).map((o) => o.id) : [];
      const request =
        args.route === 'payments'
          ? () => api.post('/api/v1/payments', { order_id: toPay.pop(), method: 'upi', vpa: 'success@paygate' })
          : () => api.post('/api/v1/orders', { amount: 50000, currency: 'INR' });
      const send = async (count) => {
        let sent = 0;
        await Promise.all(
          Array.from({ length: connections }, async () => {
            while (sent < count) {
              sent += 1;
              await request();
            }
          }),
        );
      };
      await send(warmUp);
      await send(measuredOrders);
      await api.close();
      await stopCounted(children, counted);
    });
  } finally {
    await children.stopAll();
    await db?.drop(false);
  }
}

const units = args.route === 'payments' ? 'payments' : 'orders';
console.log(`callgrind: ${warmUp} ${units} of warm-up, then ${orders} ${units} in one run and none in the other …`);
const runs = [];
try {
  for (const count of [orders, 0]) runs.push(await countRun(count));
  const [measured, baseline] = runs.map((r) => selfByFunction(r.file));
  printInstructionCounts({ measured, baseline, units: orders, unit, top: Number(args.top) });
  if (args.callers !== undefined)
    printCallers({ measured: runs[0], baseline: runs[1], callee: new RegExp(args.callers), units: orders, unit, top: Number(args.top) });
} finally {
  keepOrRemove(runs, args.keep);
}

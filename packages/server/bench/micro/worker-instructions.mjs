// Instructions a `pg-cli worker` executes per payment it settles and webhooks, counted by
// callgrind: the worker's side of api-instructions.mjs, for the same reason (its CPU time a
// payment moves by a third between runs on a shared host; this count does not). Split mode with
// one API process (not counted) and one worker (counted, so it takes every job), the test
// merchant's payment.success webhooks going to the bench's verifying receiver. Two runs, the same
// warm-up in both, then N payments in one and none in the other: start-up, warm-up and shutdown
// cancel out in the difference; what does not is the worker's idle work (heartbeats, the queue's
// look for delayed jobs) through the measured run's extra minutes, a few per cent at most.
// Needs `npm run build`, valgrind, PostgreSQL and redis-server, as api-instructions.mjs does;
// about six minutes with the defaults:
//   node packages/server/bench/micro/worker-instructions.mjs [--payments 2000] [--warm-up 2000]
//     [--in-flight 16] [--top 25] [--keep] [--callers REGEX]
// `--in-flight 1` sends each payment once the previous one's webhook arrived: a lone payment's
// count (no batch shares its statements or round trips), the single flight's. `--keep` leaves the
// two callgrind files in place and prints their paths, for `callgrind_annotate --tree=caller`
// (who calls a function that grew). `--callers REGEX` prints who called the functions whose name
// matches (`--callers KeyedLoadIC_Megamorphic`), by caller and per payment, compiled JavaScript
// named through V8's `--perf-basic-prof` map, which callgrind cannot name on its own.
import { parseArgs } from 'node:util';
import { createTempDatabase } from '../lib/database.mjs';
import { BENCH_ENV, WORKER_CONCURRENCY } from '../lib/deployments.mjs';
import { createOrders, payAll } from '../lib/payments-driver.mjs';
import { CLI, Children, freePort, startCli, startRedis } from '../lib/processes.mjs';
import { readyDeployment } from '../lib/ready-deployment.mjs';
import { callgrindRun, keepOrRemove, printCallers, printInstructionCounts, selfByFunction, stopCounted } from './callgrind-counts.mjs';

const { values: args } = parseArgs({
  options: {
    payments: { type: 'string', default: '2000' },
    'warm-up': { type: 'string', default: '2000' },
    'in-flight': { type: 'string', default: '16' },
    top: { type: 'string', default: '25' },
    callers: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const payments = Number(args.payments);
const warmUp = Number(args['warm-up']);
const inFlight = Number(args['in-flight']);

/** Pays `count` new orders, `inFlight` at a time (one at a time: each after the last one's webhook). */
async function pay(api, receiver, count) {
  if (count === 0) return;
  const orders = await createOrders(api, count, Math.max(inFlight, 16));
  await payAll({ api, receiver, orders, concurrency: inFlight, untilWebhook: inFlight === 1, timeoutMs: 1_800_000 });
}

/** One run with the worker under callgrind; resolves with its profile file and the directory to remove. */
async function countRun(measuredPayments) {
  const children = new Children();
  const db = await createTempDatabase('paygate_micro_worker');
  let deployment;
  try {
    return await callgrindRun(children, { perfMap: args.callers !== undefined }, async (startCounted) => {
      const redisUrl = await startRedis(children);
      const env = { ...process.env, ...BENCH_ENV, DATABASE_URL: db.url, REDIS_URL: redisUrl };
      await startCli(children, 'migrate', ['migrate'], { env, ready: null });
      const port = await freePort();
      await startCli(children, 'server', ['server', '--port', String(port)], { env });
      const worker = await startCounted('worker', [CLI, 'worker', '--concurrency', String(WORKER_CONCURRENCY)], { env });
      deployment = await readyDeployment({ baseUrls: [`http://127.0.0.1:${port}`] }, { connections: Math.max(inFlight, 16) });
      await pay(deployment.api, deployment.receiver, warmUp);
      await pay(deployment.api, deployment.receiver, measuredPayments);
      const { bad_signatures: bad, duplicates } = deployment.receiver.counts;
      if (bad > 0 || duplicates > 0) throw new Error(`receiver: ${bad} bad signatures, ${duplicates} duplicates`);
      await stopCounted(children, worker);
    });
  } finally {
    await deployment?.close();
    await children.stopAll();
    await db.drop(false);
  }
}

console.log(`callgrind: ${warmUp} payments of warm-up, then ${payments} in one run and none in the other, ${inFlight} in flight …`);
const runs = [];
try {
  for (const count of [payments, 0]) runs.push(await countRun(count));
  const [measured, baseline] = runs.map((r) => selfByFunction(r.file));
  printInstructionCounts({ measured, baseline, units: payments, unit: 'a payment', top: Number(args.top) });
  if (args.callers !== undefined)
    printCallers({ measured: runs[0], baseline: runs[1], callee: new RegExp(args.callers), units: payments, unit: 'a payment', top: Number(args.top) });
} finally {
  keepOrRemove(runs, args.keep);
}

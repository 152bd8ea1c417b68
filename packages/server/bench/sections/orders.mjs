// POST /api/v1/orders at `connections`, closed loop: the figure to hold against pgbench's
// single-row INSERT rate (an order is one INSERT). With `idempotencyKeys`, each request carries a
// fresh Idempotency-Key, as a merchant's retrying SDK sends one: the key's record is written twice
// more a request (claimed, then completed), and this says what that costs next to the plain figure.
// The load comes from wrk where it is installed (lib/wrk.mjs: what pgbench is to PostgreSQL, a C
// client that leaves the cores to what it measures), else from the bench's Node client.
import { randomUUID } from 'node:crypto';
import { closedLoop, TEST_MERCHANT_HEADERS } from '../lib/api-client.mjs';
import { measureCpu, netOfIdle, othersPerSecond, perUnitUs, threadShares, threadTimeOf } from '../lib/cpu.mjs';
import { workPerUnit } from '../lib/work-counters.mjs';
import { wrkClosedLoop } from '../lib/wrk.mjs';

const ORDER = { amount: 50000, currency: 'INR' };

/**
 * `loadGenerator`: 'wrk' or 'node' (the bench's own client); wrk loads one URL, so with several
 * API processes the Node client spreads the load over them instead (the result says which ran).
 */
export async function ordersSection(deployment, api, { connections, seconds, idempotencyKeys = false, loadGenerator: wanted = 'node' }) {
  const loadGenerator = deployment.baseUrls.length === 1 ? wanted : 'node';
  const send = idempotencyKeys ? () => api.post('/api/v1/orders', ORDER, { 'idempotency-key': randomUUID() }) : () => api.post('/api/v1/orders', ORDER);
  await closedLoop(connections, 500, send); // warm up: pool connections, JIT
  const run =
    loadGenerator === 'wrk'
      ? () =>
          wrkClosedLoop(`${deployment.baseUrls[0]}/api/v1/orders`, {
            connections,
            seconds,
            headers: TEST_MERCHANT_HEADERS,
            body: JSON.stringify(ORDER),
            freshIdempotencyKey: idempotencyKeys,
          })
      : () => closedLoop(connections, seconds * 1000, send);
  const countersBefore = await deployment.counters?.();
  // Each API process's main thread: whether it, the one thread an order's HTTP and JSON run on,
  // had any time idle in the run (the API is the limit if on a CPU + waiting for one ≈ 100 %).
  const apiThreadsBefore = deployment.apiPids?.map((pid) => threadTimeOf(pid));
  const startedAt = performance.now();
  const { result, spentMs, othersMs } = await measureCpu(deployment.roles, run);
  const elapsed = (performance.now() - startedAt) / 1000;
  const apiMainThreads = deployment.apiPids?.map((pid, i) => threadShares(apiThreadsBefore[i], threadTimeOf(pid), elapsed));
  const work = {};
  if (countersBefore) {
    await new Promise((r) => setTimeout(r, 1_200)); // pg_stat_database catches up
    const after = await deployment.counters();
    work[`work_per_order`] = workPerUnit(countersBefore, after, result.done);
  }
  return {
    connections,
    seconds,
    load_generator: loadGenerator,
    orders_per_second: Math.round(result.done / result.seconds),
    errors: result.errors,
    ...(result.firstError ? { first_error: result.firstError } : {}),
    cpu_us_per_order: perUnitUs(spentMs, result.done),
    ...(deployment.idleCpuMsPerS ? { cpu_us_per_order_net_of_idle: perUnitUs(netOfIdle(spentMs, deployment.idleCpuMsPerS, elapsed), result.done) } : {}),
    ...(othersMs ? { others_cpu_ms_per_s: othersPerSecond(othersMs, elapsed) } : {}),
    ...(apiMainThreads?.every(Boolean) ? { api_main_thread_shares: apiMainThreads } : {}),
    ...work,
  };
}

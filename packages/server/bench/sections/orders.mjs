// POST /api/v1/orders at `connections`, closed loop: the figure to hold against pgbench's
// single-row INSERT rate (an order is one INSERT). With `idempotencyKeys`, each request carries a
// fresh Idempotency-Key, as a merchant's retrying SDK sends one: the key's record is written twice
// more a request (claimed, then completed), and this says what that costs next to the plain figure.
import { randomUUID } from 'node:crypto';
import { closedLoop } from '../lib/api-client.mjs';
import { measureCpu, netOfIdle, othersPerSecond, perUnitUs, threadShares, threadTimeOf } from '../lib/cpu.mjs';
import { workPerUnit } from '../lib/work-counters.mjs';

export async function ordersSection(deployment, api, { connections, seconds, idempotencyKeys = false }) {
  const order = { amount: 50000, currency: 'INR' };
  const send = idempotencyKeys ? () => api.post('/api/v1/orders', order, { 'idempotency-key': randomUUID() }) : () => api.post('/api/v1/orders', order);
  await closedLoop(connections, 500, send); // warm up: pool connections, JIT
  const countersBefore = await deployment.counters?.();
  // Each API process's main thread: whether it, the one thread an order's HTTP and JSON run on,
  // had any time idle in the run (the API is the limit if on a CPU + waiting for one ≈ 100 %).
  const apiThreadsBefore = deployment.apiPids?.map((pid) => threadTimeOf(pid));
  const startedAt = performance.now();
  const { result, spentMs, othersMs } = await measureCpu(deployment.roles, () => closedLoop(connections, seconds * 1000, send));
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

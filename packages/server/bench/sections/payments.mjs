// Payments end to end against a deployment (split or embedded): POST /payments → verified
// payment.success webhook. Closed loop, open loop at a rate, and one payment in flight.
import { measureCpu, perUnitUs } from '../lib/cpu.mjs';
import { createOrders, payAll } from '../lib/payments-driver.mjs';

/**
 * One payments run: creates the orders first (not measured), then pays them with the CPU of
 * every process involved measured, load generator and receiver included.
 */
export async function paymentsRun(deployment, api, receiver, { payments, concurrency, rate }) {
  const orders = await createOrders(api, payments, Math.max(concurrency, 16));
  const { result, spentMs } = await measureCpu(deployment.roles, () => payAll({ api, receiver, orders, concurrency, rate }));
  return { concurrency, ...(rate ? { offered_rate: rate } : {}), ...result, cpu_us_per_payment: perUnitUs(spentMs, payments) };
}

const IDLE_MS = 3_000;

/**
 * One payment in flight at a time: the latency floor, made of waits more than of work. Also the
 * CPU the deployment burns idle (timers, polling), which dominates CPU per payment at this pace.
 */
export async function singleFlight(deployment, api, receiver, { payments }) {
  await paymentsRun(deployment, api, receiver, { payments: 20, concurrency: 1 }); // warm up
  const idle = await measureCpu(deployment.roles, () => new Promise((r) => setTimeout(r, IDLE_MS)));
  delete idle.spentMs.bench; // the bench sleeps; what is left is the deployment's own
  const idleCpu = perUnitUs(idle.spentMs, IDLE_MS / 1000);
  const run = await paymentsRun(deployment, api, receiver, { payments, concurrency: 1 });
  return { ...run, idle_cpu_us_per_second: idleCpu };
}

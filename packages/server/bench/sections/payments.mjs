// Payments end to end against a deployment (split or embedded): POST /payments → verified
// payment.success webhook. Closed loop, open loop at a rate, and one payment in flight.
import { measureCpu, netOfIdle, othersPerSecond, perUnitUs } from '../lib/cpu.mjs';
import { workPerUnit } from '../lib/work-counters.mjs';
import { createOrders, payAll } from '../lib/payments-driver.mjs';
import { samplePgActivity } from '../lib/pg-activity.mjs';

/**
 * One payments run: creates the orders first (not measured), then pays them with the CPU of
 * every process involved measured, load generator and receiver included. With postgresActivity
 * (split mode only), also what the PostgreSQL backends were busy with meanwhile.
 */
export async function paymentsRun(deployment, api, receiver, { payments, concurrency, rate, untilWebhook, postgresActivity = false }) {
  const orders = await createOrders(api, payments, Math.max(concurrency, 16));
  const countersBefore = await deployment.counters?.();
  const startedAt = performance.now();
  const sampler = postgresActivity && deployment.db ? samplePgActivity(deployment.db) : undefined;
  let measured;
  let activity;
  try {
    measured = await measureCpu(deployment.roles, () => payAll({ api, receiver, orders, concurrency, rate, untilWebhook }));
  } finally {
    activity = await sampler?.stop(); // also on failure: the sampler must not outlive the database
  }
  const { result, spentMs, othersMs } = measured;
  const seconds = (performance.now() - startedAt) / 1000;
  const work = {};
  if (countersBefore) {
    // pg_stat_database lags by up to PGSTAT's flush interval: give it a moment to catch up
    await new Promise((r) => setTimeout(r, 1_200));
    const after = await deployment.counters();
    work[`work_per_payment`] = workPerUnit(countersBefore, after, payments);
  }
  return {
    concurrency,
    ...(rate ? { offered_rate: rate } : {}),
    ...result,
    cpu_us_per_payment: perUnitUs(spentMs, payments),
    ...(deployment.idleCpuMsPerS ? { cpu_us_per_payment_net_of_idle: perUnitUs(netOfIdle(spentMs, deployment.idleCpuMsPerS, seconds), payments) } : {}),
    ...(othersMs ? { others_cpu_ms_per_s: othersPerSecond(othersMs, seconds) } : {}),
    ...work,
    ...(activity ? { postgres_activity: activity } : {}),
  };
}

/**
 * One payment in flight at a time: the latency floor, made of waits more than of work. At this
 * pace the deployment's idle CPU dominates CPU per payment: read the net figure. In split mode the
 * database is brought to rest first (database.mjs quiesce), and the result says how long that
 * took and whether a checkpoint still started during the measurement.
 */
export async function singleFlight(deployment, api, receiver, { payments, warmUp = 20 }) {
  const quiesced_ms = await deployment.db?.quiesce();
  await paymentsRun(deployment, api, receiver, { payments: warmUp, concurrency: 1, untilWebhook: true });
  const checkpointsBefore = await deployment.db?.checkpoints();
  const run = await paymentsRun(deployment, api, receiver, { payments, concurrency: 1, untilWebhook: true });
  if (!deployment.db) return run;
  return { ...run, quiesced_ms, checkpoints_during: (await deployment.db.checkpoints()) - checkpointsBefore };
}

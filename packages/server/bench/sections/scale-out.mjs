// Scale-out (issue 15): the e2e section's closed loop, once per configuration of API processes ×
// workers, each on a fresh split deployment, to see what one more process buys and where
// PostgreSQL becomes the limit. Every process shares the same cores, so adding one only helps
// while the cores are not all busy; PostgreSQL is the limit once its backends take a growing
// share of the CPU and payments/s stop rising as Node processes are added, or once its backends
// are busy most of the time (pg_stat_activity, sampled) while the Node processes wait on them.
import { warmUp } from '../lib/payments-driver.mjs';
import { paymentsRun } from './payments.mjs';

/** In the order they run: 1, 2 and 4 workers behind one API process, then 2 and 4 behind two. */
export const SCALE_CONFIGS = [
  { apiProcesses: 1, workers: 1 },
  { apiProcesses: 1, workers: 2 },
  { apiProcesses: 1, workers: 4 },
  { apiProcesses: 2, workers: 2 },
  { apiProcesses: 2, workers: 4 },
];

/**
 * Runs `payments` payments, `concurrency` in flight, once per configuration. `withSplit(config,
 * body)` starts a fresh split deployment of that shape (warmed up, idle CPU measured), runs
 * `body(deployment, api, receiver)` on it and stops it, so no run inherits another's tables or
 * Redis. Each shape first pays `warmUpPayments` payments in the same loop, not measured: every
 * process compiles its own code as it warms up, so without it a shape with more processes measured
 * mostly that (forty-second sitting, 3,000 payments a shape: the workers' CPU a payment 350, 660
 * and 1,203 µs with one, two and four of them, against 224, 276 and 451 over 20,000, and 198, 240
 * and 268 over 5,000 after 5,000 of warm-up).
 */
export async function scaleOutSection(withSplit, { payments, warmUpPayments = 0, concurrency, progress }) {
  const runs = [];
  for (const config of SCALE_CONFIGS) {
    const first = warmUpPayments > 0 ? ` (${warmUpPayments} first, not measured)` : '';
    progress(`scale: ${config.apiProcesses} API + ${config.workers} workers, ${payments} payments${first}, closed loop, ${concurrency} in flight …`);
    const run = await withSplit(config, async (deployment, api, receiver) => {
      if (warmUpPayments > 0) await warmUp(api, receiver, { payments: warmUpPayments, concurrency });
      return paymentsRun(deployment, api, receiver, { payments, concurrency, postgresActivity: true });
    });
    runs.push({ api_processes: config.apiProcesses, workers: config.workers, ...postgresLoad(run), ...run });
    progress(
      `  → ${run.webhooked_per_second}/s, ${run.cpu_us_per_payment.total} µs CPU/payment, PostgreSQL ${runs.at(-1).postgres_share_of_cpu_pct} % of it, ${run.postgres_activity.busy_backends_mean} backends busy`,
    );
  }
  return runs;
}

/**
 * How much of the run's CPU went to this database's PostgreSQL backends, and how many cores the
 * run kept busy in all and in PostgreSQL (CPU µs per payment × payments per second). A share that
 * grows from one configuration to the next while payments/s stay flat is PostgreSQL (or the
 * cores it competes for) becoming the limit.
 */
function postgresLoad(run) {
  const cpu = run.cpu_us_per_payment;
  const cores = (usPerPayment) => Number((((usPerPayment ?? 0) * run.webhooked_per_second) / 1e6).toFixed(2));
  return {
    postgres_share_of_cpu_pct: cpu.total ? Math.round(((cpu.postgres ?? 0) / cpu.total) * 100) : 0,
    cores_busy: cores(cpu.total),
    postgres_cores_busy: cores(cpu.postgres),
  };
}

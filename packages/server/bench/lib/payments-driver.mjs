// Drives payments against a deployment and times each from POST /payments to its verified
// payment.success webhook. Closed loop (as fast as the API answers, `concurrency` in flight) or
// open loop (one every 1/rate s, as real traffic arrives; at most `concurrency` in flight).
import { byFifth, latencySummary, percentile, round1 } from './stats.mjs';

/** Creates `count` orders, `concurrency` at a time (not timed: it is the orders section's job). */
export async function createOrders(api, count, concurrency) {
  const orders = [];
  for (let i = 0; i < count; i += concurrency) {
    orders.push(
      ...(await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, () => api.post('/api/v1/orders', { amount: 50000, currency: 'INR' })))),
    );
  }
  return orders;
}

/**
 * Pays `payments` new orders, `concurrency` at once, measuring nothing: the gateway's processes
 * warmed up (V8 compiles each process's code as it runs) before a measured run.
 */
export async function warmUp(api, receiver, { payments, concurrency }) {
  await payAll({ api, receiver, orders: await createOrders(api, payments, concurrency), concurrency });
}

/**
 * Pays every order; resolves once every payment's webhook arrived (or rejects after timeoutMs,
 * naming how many are missing). Checks nothing is missing and nothing arrived twice.
 *
 * @param untilWebhook  a lane sends its next payment only once the previous one's webhook
 *   arrived, so `concurrency` counts payments in flight end to end, not POSTs in flight (the
 *   one-in-flight latency: no payment shares the path with the next one's POST).
 */
export async function payAll({ api, receiver, orders, concurrency, rate, untilWebhook = false, timeoutMs = 120_000 }) {
  const n = orders.length;
  const latencies = [];
  const stages = [];
  const timeline = []; // [sent at (ms since start), latency]
  const arrivals = [];
  const duplicatesBefore = receiver.counts.duplicates;
  const connectionsBefore = receiver.counts.connections;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        if (rate) {
          const due = t0 + (i * 1000) / rate;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        const started = performance.now();
        const sentAt = Date.now();
        const payment = await api.post('/api/v1/payments', { order_id: orders[i].id, method: 'upi', vpa: 'success@paygate' });
        const answered = performance.now() - started;
        const arrived = receiver.arrival(payment.id).then((at) => {
          latencies.push(at - started);
          timeline.push([started - t0, at - started]);
          // The gateway's own timestamps (ms, the same machine's clock): when the API started
          // the payment and when a worker settled it, against when the POST was sent. Only one
          // in flight: in the other runs this would be the load generator's CPU for nothing.
          if (untilWebhook)
            stages.push({
              api_started: Date.parse(payment.created_at) - sentAt,
              answered,
              worker_settling: receiver.settledAt(payment.id) - sentAt,
              webhook_arrived: at - started,
            });
        });
        arrivals.push(arrived);
        if (untilWebhook) await withinMs(arrived, timeoutMs, () => `timeout: payment ${payment.id}'s webhook did not arrive within ${timeoutMs} ms`);
      }
    }),
  );
  const postedMs = performance.now() - t0;
  let timer;
  await Promise.race([
    Promise.all(arrivals),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout: ${n - receiver.pending()}/${n} webhooks arrived`)), timeoutMs))),
  ]);
  clearTimeout(timer);
  const totalMs = performance.now() - t0;
  return {
    payments: n,
    posts_per_second: Math.round(n / (postedMs / 1000)),
    webhooked_per_second: Math.round(n / (totalMs / 1000)),
    ...latencySummary(latencies),
    p50_p99_ms_by_fifth: byFifth(timeline, postedMs).join('  '),
    ...(untilWebhook ? { stages_ms_p50: stagesP50(stages), stages_ms_of_p99: stagesOfP99(stages), tail: tailStages(stages) } : {}),
    missing: n - latencies.length,
    duplicates: receiver.counts.duplicates - duplicatesBefore,
    webhook_connections_opened: receiver.counts.connections - connectionsBefore,
  };
}

/**
 * Where one payment's time goes, one in flight: medians, in ms since its POST was sent, of when
 * the API started it (its created_at), answered, a worker started settling it (its updated_at)
 * and its webhook arrived. The gateway's timestamps have millisecond resolution.
 */
export function stagesP50(stages) {
  return Object.fromEntries(['api_started', 'answered', 'worker_settling', 'webhook_arrived'].map((k) => [k, round1(medianOf(stages, k))]));
}

/** The median of `key` over `rows`. */
const medianOf = (rows, key) =>
  percentile(
    rows.map((r) => r[key]).sort((a, b) => a - b),
    50,
  );

/**
 * The stages of the payment at the 99th percentile of latency: where the tail's time went (in the
 * answer, before a worker started settling, or after), which the stages' medians cannot say.
 */
export function stagesOfP99(stages) {
  const byLatency = (a, b) => a.webhook_arrived - b.webhook_arrived;
  const at = percentile([...stages].sort(byLatency), 99);
  return Object.fromEntries(Object.entries(at).map(([k, v]) => [k, round1(v)]));
}

/**
 * Where the slowest payments (the slowest `share`, at least one) lost their time, on the path a
 * lone payment's webhook waits on: to the API's start (its created_at), from there to a worker
 * starting to settle it (the insert, its commit, the queue, a worker woken: its updated_at), and
 * from there to its webhook arriving (the settlement, the webhook sent and verified). For each,
 * how many of the slowest lost the most there against that span's median, and the mean of
 * their excess over it (ms). The answer is left out: the webhook does not wait for it. A stage
 * that is slow now and then shows as one span most of them lost the most in; a wait for a core
 * that any process may meet, as both.
 */
export function tailStages(stages, share = 0.03) {
  const spans = (s) => ({
    before_api: s.api_started,
    api_to_worker: s.worker_settling - s.api_started,
    worker_to_webhook: s.webhook_arrived - s.worker_settling,
  });
  const all = stages.map(spans);
  const names = ['before_api', 'api_to_worker', 'worker_to_webhook'];
  const median = Object.fromEntries(names.map((k) => [k, medianOf(all, k)]));
  const byLatency = [...stages].sort((a, b) => a.webhook_arrived - b.webhook_arrived);
  const slowest = byLatency.slice(-Math.max(1, Math.round(stages.length * share))).map(spans);
  const mostLostIn = Object.fromEntries(names.map((k) => [k, 0]));
  const excess = Object.fromEntries(names.map((k) => [k, 0]));
  for (const s of slowest) {
    const over = names.map((k) => s[k] - median[k]);
    mostLostIn[names[over.indexOf(Math.max(...over))]] += 1;
    names.forEach((k, i) => (excess[k] += over[i]));
  }
  return {
    payments: slowest.length,
    most_lost_in: mostLostIn,
    mean_excess_ms: Object.fromEntries(names.map((k) => [k, round1(excess[k] / slowest.length)])),
  };
}

/** `promise`, or a rejection with `message()` once `ms` have passed without it settling. */
function withinMs(promise, ms, message) {
  let timer;
  const expired = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms)));
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

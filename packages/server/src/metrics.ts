import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { TalliedCounter } from './tallied-counter.js';

const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * Prometheus metrics for one process, on its own registry (no global state, so tests and several
 * gateways in one process don't collide). Queue depth is read when scraped.
 */
export function createMetrics() {
  const registry = new Registry();
  // The event-loop delay histogram samples every 100 ms, not prom-client's 10: at 10 the process
  // woke a hundred times a second, idle or not (an idle `pg-cli dev`: 1,026–1,053 context
  // switches in 10 s against 169–263, perf stat). A stall of 100 ms or more is still always seen,
  // shorter ones in proportion.
  collectDefaultMetrics({ register: registry, prefix: 'paygate_process_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  return {
    registry,
    // The payment path's counters are tallied (see TalliedCounter); the rest count per batch or job.
    paymentsCreated: new TalliedCounter({ name: 'paygate_payments_created_total', help: 'Payments created.', labelName: 'method', registers: [registry] }),
    paymentsSettled: new TalliedCounter({
      name: 'paygate_payments_settled_total',
      help: 'Payments that reached success or failed.',
      labelName: 'status',
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'paygate_job_duration_seconds',
      help: 'Time a worker spent on one job.',
      labelNames: ['queue', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    deliveryAttempts: new TalliedCounter({
      name: 'paygate_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome (success, retry, failed).',
      labelName: 'outcome',
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: 'paygate_webhook_latency_seconds',
      help: "Merchant endpoint's response time.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'paygate_batch_items',
      help: 'Items per group-committed statement (payment inserts, order lookups, settlements): above 1 under load.',
      labelNames: ['batch'],
      buckets: [1, 2, 5, 10, 25, 50, 100, 200],
      registers: [registry],
    }),
    queueDepth: new Gauge({ name: 'paygate_queue_jobs', help: 'Jobs per queue and state.', labelNames: ['queue', 'state'], registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

import { describe, expect, it } from 'vitest';
import { cpuBreakdown, reportRows } from './report.mjs';

const singleFlight = {
  webhooked_per_second: 300,
  p50_ms: 2.7,
  p99_ms: 7.1,
  missing: 0,
  duplicates: 0,
  cpu_us_per_payment: { total: 3369 },
  stages_ms_p50: { api_started: 0, answered: 1.5, worker_settling: 1, webhook_arrived: 2.7 },
  stages_ms_of_p99: { api_started: 0, answered: 7, worker_settling: 3, webhook_arrived: 7.1 },
};
const tail = {
  payments: 6,
  most_lost_in: { before_api: 1, api_to_worker: 2, worker_to_webhook: 3 },
  mean_excess_ms: { before_api: 0.3, api_to_worker: 1.5, worker_to_webhook: 4.2 },
};

describe('the bench report', () => {
  it('prints the stages of the p99 payment after the medians, and how the database was brought to rest', () => {
    const rows = reportRows({ split: { single_flight: { ...singleFlight, quiesced_ms: 1057, checkpoints_during: 0 } } });
    const labels = rows.map((r) => r[0]);
    expect(labels).toEqual(['split single flight', '  stages: p50 ms since POST sent', '  stages of the p99 payment', '  database brought to rest first']);
    expect(rows[1][1]).toBe('API started 0, answered 1.5, worker settling 1, webhook 2.7');
    expect(rows[2][1]).toBe('API started 0, answered 7, worker settling 3, webhook 7.1');
    expect(rows[3][1]).toBe('1057 ms (VACUUM, CHECKPOINT); checkpoints during: 0');
  });

  it('prints where the slowest payments lost their time, after the p99 payment', () => {
    const rows = reportRows({ split: { single_flight: { ...singleFlight, tail } } });
    expect(rows.map((r) => r[0])).toEqual([
      'split single flight',
      '  stages: p50 ms since POST sent',
      '  stages of the p99 payment',
      '  slowest 6: most lost in',
    ]);
    expect(rows[3][1]).toBe('before API 1 (+0.3 ms), API→worker 2 (+1.5 ms), worker→webhook 3 (+4.2 ms)');
  });

  it('says nothing of a rest the run did not take (embedded mode, or a JSON from before it)', () => {
    const rows = reportRows({ embedded: { single_flight: singleFlight } });
    expect(rows.map((r) => r[0])).toEqual(['embedded single flight', '  stages: p50 ms since POST sent', '  stages of the p99 payment']);
  });

  it("prints the rest of the machine's CPU beside each run's own, a second", () => {
    const lines = cpuBreakdown({ split: { single_flight: { ...singleFlight, others_cpu_ms_per_s: { kdamond: 12, rest: 30 } } } }).split('\n');
    expect(lines).toEqual(['split single_flight          total 3369', 'split single_flight others, ms per s kdamond 12  rest 30']);
  });

  it("labels the ceilings and the orders with the connections they ran at, and the API thread's shares under the orders", () => {
    const rows = reportRows({
      ceilings: {
        pgbench_insert: { clients: 25, tps: 9000 },
        bare_fastify: { connections: 25, requests_per_second: 30000, cpu_us_per_request: { total: 50 } },
      },
      split: {
        orders: {
          connections: 25,
          orders_per_second: 12000,
          errors: 0,
          cpu_us_per_order: { total: 110 },
          api_main_thread_shares: [{ on_cpu: 0.76, waiting_for_cpu: 0.12 }],
        },
      },
    });
    expect(rows.map((r) => r[0])).toEqual([
      'PostgreSQL single-row INSERT (pgbench, 25 clients)',
      'bare Fastify POST route (25 conn)',
      'POST /orders (25 conn) vs pgbench INSERT',
      'POST /orders vs bare Fastify',
      '  API main thread: on a CPU / waiting for one',
    ]);
    expect(rows[4][1]).toBe('76 % / 12 %');
  });

  it('names the load generator where a run says which one loaded the route and the orders', () => {
    const rows = reportRows({
      ceilings: { bare_fastify: { connections: 50, load_generator: 'wrk', requests_per_second: 40000, cpu_us_per_request: { total: 40 } } },
      split: { orders: { connections: 50, load_generator: 'node', orders_per_second: 12000, errors: 0, cpu_us_per_order: { total: 110 } } },
    });
    expect(rows.map((r) => r[0]).slice(0, 2)).toEqual(['bare Fastify POST route (50 conn, wrk)', 'POST /orders (50 conn, node) vs pgbench INSERT']);
  });

  it('puts the orders with an Idempotency-Key each beside the plain orders, as a share of them', () => {
    const orders = (perSecond, cpu) => ({ connections: 50, orders_per_second: perSecond, errors: 0, cpu_us_per_order: { total: cpu } });
    const rows = reportRows({ split: { orders: orders(12000, 110), orders_keyed: orders(3000, 450) } });
    const keyed = rows.find((r) => r[0] === 'POST /orders with Idempotency-Key vs without');
    expect(keyed).toEqual(['POST /orders with Idempotency-Key vs without', '3000/s', '12000', '25 %', '450 / -', 'ok']);
    expect(cpuBreakdown({ split: { orders_keyed: orders(3000, 450) } })).toBe('split orders_keyed           total 450');
  });
});

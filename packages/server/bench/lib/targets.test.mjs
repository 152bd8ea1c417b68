import { describe, expect, it } from 'vitest';
import { judgeTargets } from './targets.mjs';

const payments = (over = {}) => ({ webhooked_per_second: 1000, p50_ms: 3, p99_ms: 7, missing: 0, duplicates: 0, ...over });

/** A run that meets every target (the shape `npm run bench -- --out` writes). */
const goodRun = () => ({
  ceilings: { pgbench_insert: { tps: 10_000 }, pglite_insert: { inserts_per_second: 5_000 } },
  split: {
    orders: { orders_per_second: 8_500, errors: 0 },
    e2e_closed: payments(),
    e2e_open: payments({
      offered_rate: 2000,
      webhooked_per_second: 1998,
      p50_p99_ms_by_fifth: '27/70  25/77  25/71  25/65  25/68',
      cpu_us_per_payment: { total: 850 },
    }),
    single_flight: payments(),
  },
  embedded: { e2e_closed: payments({ webhooked_per_second: 900 }), single_flight: payments() },
  dev_start: { warm_ready_ms_median: 800, cold_ready_ms: 1500, idle_rss_mib: 250 },
});
const metOf = (runs) => Object.fromEntries(judgeTargets(runs).map((t) => [t.target, t.met]));

describe('the performance targets, judged on bench runs', () => {
  it('are met when every run meets them, each run shown in its own column', () => {
    const judged = judgeTargets([goodRun(), goodRun(), goodRun()]);
    expect(judged.every((t) => t.met)).toBe(true);
    expect(judged.find((t) => t.target === 'POST /orders vs pgbench INSERT')?.runs).toEqual(Array(3).fill('85 % (8500/s of 10000)'));
  });

  it('are not met where one run of three falls short of a threshold', () => {
    const short = [
      (r) => (r.split.orders.orders_per_second = 7_900),
      (r) => (r.split.e2e_open.webhooked_per_second = 1_900),
      (r) => (r.split.e2e_open.cpu_us_per_payment.total = 901),
      (r) => (r.split.single_flight.p99_ms = 8.1),
      (r) => (r.embedded.single_flight.p50_ms = 4.2),
      (r) => (r.dev_start.warm_ready_ms_median = 1_600),
      (r) => (r.embedded.e2e_closed.duplicates = 1),
    ];
    const targets = [
      'POST /orders vs pgbench INSERT',
      'split open loop held at 2,000/s',
      'CPU per payment in all (open loop)',
      'split single flight',
      'embedded single flight',
      'pg-cli dev ready, warm / cold',
      'nothing missing, nothing twice',
    ];
    short.forEach((spoil, i) => {
      const second = goodRun();
      spoil(second);
      const met = metOf([goodRun(), second, goodRun()]);
      expect(
        Object.entries(met)
          .filter(([, m]) => !m)
          .map(([t]) => t),
      ).toEqual([targets[i]]);
    });
  });

  it('does not count an open loop whose latency grew as held, though every payment arrived', () => {
    const growing = goodRun();
    growing.split.e2e_open.p50_p99_ms_by_fifth = '25/70  60/120  120/200  250/400  500/800';
    expect(metOf([growing])['split open loop held at 2,000/s']).toBe(false);
  });

  it('does not count a target a run did not measure (a run made with --only)', () => {
    const partial = goodRun();
    delete partial.dev_start;
    const dev = judgeTargets([goodRun(), partial]).find((t) => t.target === 'pg-cli dev ready, warm / cold');
    expect(dev).toMatchObject({ met: false, runs: [expect.stringContaining('800 / 1500 ms'), '-'] });
  });
});

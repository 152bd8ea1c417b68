// The performance issue's targets, judged on the bench's JSON: each target's figure in every run
// given, and whether it was met in all of them (its acceptance asks for three consecutive runs).
// The figures are the bench's own; only the thresholds live here.

/** The open loop held its rate: nearly every payment offered was webhooked, and latency did not grow (no backlog). */
const HELD_SHARE = 0.99;
/** Flat: no fifth of the open loop has a p50 above this multiple of the lowest fifth's. */
const FLAT_FACTOR = 2;

const pct = (x) => `${Math.round(x * 100)} %`;
/** The p50 of each fifth, from the bench's "p50/p99  p50/p99 …" text. */
const fifthsP50 = (text) =>
  (text ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => Number(pair.split('/')[0]));

/** A rate of ours as a share of its ceiling's, met when `enough(share)`; undefined when either was not measured. */
function toCeiling(ours, ceiling, enough) {
  if (!ours || !ceiling) return undefined;
  return { shown: `${pct(ours / ceiling)} (${ours}/s of ${ceiling})`, met: enough(ours / ceiling) };
}

function singleFlight(p) {
  if (!p) return undefined;
  return { shown: `p50 ${p.p50_ms} p99 ${p.p99_ms} ms`, met: p.p50_ms <= 4 && p.p99_ms <= 8 };
}

/** The payments runs of a bench run, by name, for the "nothing missing, nothing twice" check. */
function paymentsRuns(run) {
  const named = [
    ['split closed loop', run.split?.e2e_closed],
    ['split open loop', run.split?.e2e_open],
    ['split single flight', run.split?.single_flight],
    ['embedded closed loop', run.embedded?.e2e_closed],
    ['embedded single flight', run.embedded?.single_flight],
  ];
  return named.filter(([, p]) => p);
}

/**
 * Each target: what it asks, and its figure in one run (`undefined` when the run did not measure
 * it: a run with `--only` leaves sections out).
 */
export const TARGETS = [
  {
    target: 'POST /orders vs pgbench INSERT',
    wanted: '≥ 80 %',
    judge: (run) => toCeiling(run.split?.orders?.orders_per_second, run.ceilings?.pgbench_insert?.tps, (share) => share >= 0.8 && !run.split.orders.errors),
  },
  {
    target: 'split open loop held at 2,000/s',
    wanted: '≥ 2,000/s, flat',
    judge(run) {
      const open = run.split?.e2e_open;
      if (!open) return undefined;
      const p50s = fifthsP50(open.p50_p99_ms_by_fifth);
      const flat = p50s.length > 0 && Math.max(...p50s) <= FLAT_FACTOR * Math.min(...p50s);
      const held = open.offered_rate >= 2000 && open.webhooked_per_second >= HELD_SHARE * open.offered_rate;
      return { shown: `${open.webhooked_per_second}/s of ${open.offered_rate}, fifths' p50 ${Math.min(...p50s)}–${Math.max(...p50s)} ms`, met: held && flat };
    },
  },
  {
    target: 'CPU per payment in all (open loop)',
    wanted: '≤ 900 µs',
    judge(run) {
      const cpu = run.split?.e2e_open?.cpu_us_per_payment?.total;
      return cpu === undefined ? undefined : { shown: `${cpu} µs`, met: cpu <= 900 };
    },
  },
  { target: 'split single flight', wanted: 'p50 ≤ 4, p99 ≤ 8 ms', judge: (run) => singleFlight(run.split?.single_flight) },
  { target: 'embedded single flight', wanted: 'p50 ≤ 4, p99 ≤ 8 ms', judge: (run) => singleFlight(run.embedded?.single_flight) },
  {
    target: 'pg-cli dev ready, warm / cold',
    wanted: '≤ 1.5 s / ≤ 4 s',
    judge(run) {
      const d = run.dev_start;
      if (!d) return undefined;
      return {
        shown: `${d.warm_ready_ms_median} / ${d.cold_ready_ms} ms, idle RSS ${d.idle_rss_mib} MiB`,
        met: d.warm_ready_ms_median <= 1500 && d.cold_ready_ms <= 4000 && d.idle_rss_mib > 0,
      };
    },
  },
  {
    target: "embedded e2e vs PGlite's INSERT ceiling",
    wanted: 'reported',
    judge: (run) => toCeiling(run.embedded?.e2e_closed?.webhooked_per_second, run.ceilings?.pglite_insert?.inserts_per_second, () => true),
  },
  {
    target: 'nothing missing, nothing twice',
    wanted: 'every payments run',
    judge(run) {
      const runs = paymentsRuns(run);
      if (runs.length === 0) return undefined;
      const bad = runs.filter(([, p]) => p.missing || p.duplicates).map(([name, p]) => `${name}: ${p.missing} missing, ${p.duplicates} twice`);
      return { shown: bad.length ? bad.join('; ') : `ok in ${runs.length}`, met: bad.length === 0 };
    },
  },
];

/**
 * Judges `runs` (the bench's JSON, oldest first): per target, its figure in each run ('-' where
 * not measured) and whether it was met in every one of them.
 */
export function judgeTargets(runs) {
  return TARGETS.map(({ target, wanted, judge }) => {
    const judged = runs.map((run) => judge(run));
    return {
      target,
      wanted,
      runs: judged.map((j) => j?.shown ?? '-'),
      met: judged.length > 0 && judged.every((j) => j?.met === true),
    };
  });
}

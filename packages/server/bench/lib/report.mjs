// The tables the bench prints: each of ours next to its ceiling, as a ratio, with CPU per unit;
// and the scale-out runs side by side, CPU per payment by process.

const fmt = (v) => (v === undefined || v === null || Number.isNaN(v) ? '-' : String(v));
const ratio = (ours, ceiling) => (ours && ceiling ? `${Math.round((ours / ceiling) * 100)} %` : '-');
const percent = (share) => `${Math.round(share * 100)} %`;
/** ", wrk" where a section says what loaded it (runs before the forty-first sitting do not: the Node client). */
const loadedBy = (section) => (section.load_generator ? `, ${section.load_generator}` : '');
const check = (p) => (p.missing || p.duplicates ? `MISSING ${p.missing} DUP ${p.duplicates}` : 'ok');

/** Rows: [what, ours, ceiling, ratio, CPU µs/unit (all / net of idle), check]. */
export function reportRows(r) {
  const rows = [];
  const c = r.ceilings ?? {};
  if (c.pgbench_insert)
    rows.push([`PostgreSQL single-row INSERT (pgbench, ${c.pgbench_insert.clients ?? 50} clients)`, `${fmt(c.pgbench_insert.tps)} tps`, '', '', '', '']);
  if (c.bare_fastify)
    rows.push([
      `bare Fastify POST route (${c.bare_fastify.connections ?? 50} conn${loadedBy(c.bare_fastify)})`,
      `${fmt(c.bare_fastify.requests_per_second)}/s`,
      '',
      '',
      fmt(c.bare_fastify.cpu_us_per_request?.total),
      '',
    ]);
  if (c.pglite_insert)
    rows.push([
      'PGlite single-row INSERT (serial, on disk)',
      `${fmt(c.pglite_insert.inserts_per_second)}/s`,
      '',
      '',
      fmt(c.pglite_insert.cpu_us_per_insert),
      '',
    ]);
  const s = r.split ?? {};
  if (s.orders) {
    rows.push([
      `POST /orders (${s.orders.connections ?? 50} conn${loadedBy(s.orders)}) vs pgbench INSERT`,
      `${s.orders.orders_per_second}/s`,
      fmt(c.pgbench_insert?.tps),
      ratio(s.orders.orders_per_second, c.pgbench_insert?.tps),
      `${fmt(s.orders.cpu_us_per_order.total)} / ${fmt(s.orders.cpu_us_per_order_net_of_idle?.total)}`,
      s.orders.errors ? `${s.orders.errors} errors` : 'ok',
    ]);
    rows.push([
      'POST /orders vs bare Fastify',
      `${s.orders.orders_per_second}/s`,
      fmt(c.bare_fastify?.requests_per_second),
      ratio(s.orders.orders_per_second, c.bare_fastify?.requests_per_second),
      '',
      '',
    ]);
    // Near 100 % together, the API's one thread was never idle: it, not PostgreSQL, set the rate.
    const threads = s.orders.api_main_thread_shares;
    if (threads)
      rows.push([
        '  API main thread: on a CPU / waiting for one',
        threads.map((t) => `${percent(t.on_cpu)} / ${percent(t.waiting_for_cpu)}`).join(', '),
        '',
        '',
        '',
        '',
      ]);
  }
  if (s.orders_keyed)
    rows.push([
      `POST /orders with Idempotency-Key vs without`,
      `${s.orders_keyed.orders_per_second}/s`,
      fmt(s.orders?.orders_per_second),
      ratio(s.orders_keyed.orders_per_second, s.orders?.orders_per_second),
      `${fmt(s.orders_keyed.cpu_us_per_order.total)} / ${fmt(s.orders_keyed.cpu_us_per_order_net_of_idle?.total)}`,
      s.orders_keyed.errors ? `${s.orders_keyed.errors} errors` : 'ok',
    ]);
  const e2e = (label, p, ceiling) =>
    p &&
    rows.push([
      label,
      `${p.webhooked_per_second}/s  p50 ${p.p50_ms} p99 ${p.p99_ms} ms`,
      fmt(ceiling),
      ratio(p.webhooked_per_second, ceiling),
      `${fmt(p.cpu_us_per_payment.total)} / ${fmt(p.cpu_us_per_payment_net_of_idle?.total)}`,
      check(p),
    ]);
  e2e('split e2e closed loop', s.e2e_closed, c.pgbench_insert?.tps);
  e2e(`split e2e open loop @${s.e2e_open?.offered_rate ?? ''}/s`, s.e2e_open, s.e2e_open?.offered_rate);
  if (s.e2e_open?.p50_p99_ms_by_fifth) rows.push(['  p50/p99 ms by fifth (flat = held)', s.e2e_open.p50_p99_ms_by_fifth, '', '', '', '']);
  const stages = (p) => {
    const row = (label, t) =>
      t &&
      rows.push([
        label,
        `API started ${t.api_started}, answered ${t.answered}, worker settling ${t.worker_settling}, webhook ${t.webhook_arrived}`,
        '',
        '',
        '',
        '',
      ]);
    row('  stages: p50 ms since POST sent', p?.stages_ms_p50);
    row('  stages of the p99 payment', p?.stages_ms_of_p99);
    const t = p?.tail;
    if (t) {
      const where = (k) => `${t.most_lost_in[k]} (+${t.mean_excess_ms[k]} ms)`;
      rows.push([
        `  slowest ${t.payments}: most lost in`,
        `before API ${where('before_api')}, API→worker ${where('api_to_worker')}, worker→webhook ${where('worker_to_webhook')}`,
        '',
        '',
        '',
        '',
      ]);
    }
  };
  e2e('split single flight', s.single_flight);
  stages(s.single_flight);
  if (s.single_flight?.quiesced_ms !== undefined) {
    const q = s.single_flight;
    rows.push(['  database brought to rest first', `${q.quiesced_ms} ms (VACUUM, CHECKPOINT); checkpoints during: ${q.checkpoints_during}`, '', '', '', '']);
  }
  const e = r.embedded ?? {};
  e2e('embedded e2e closed loop vs PGlite INSERT', e.e2e_closed, c.pglite_insert?.inserts_per_second);
  e2e('embedded single flight', e.single_flight);
  stages(e.single_flight);
  if (r.dev_start) {
    const d = r.dev_start;
    rows.push(['pg-cli dev ready: cold / warm (median)', `${d.cold_ready_ms} / ${d.warm_ready_ms_median} ms`, '', '', '', `idle RSS ${d.idle_rss_mib} MiB`]);
    if (d.warm_first_order_ms_median !== undefined) {
      rows.push(['pg-cli dev first order at ready: cold / warm', `${d.cold_first_order_ms} / ${d.warm_first_order_ms_median} ms`, '', '', '', '']);
    }
    rows.push(['pg-cli dev CPU to ready: cold / warm', `${d.cold_cpu_ms_to_ready} / ${d.warm_cpu_ms_to_ready.join(', ')} ms`, '', '', '', '']);
  }
  return rows;
}

const REPORT_HEAD = ['measure', 'ours', 'ceiling', 'ratio', 'CPU µs/unit (all / net of idle)', 'check'];

export function formatTable(rows, head = REPORT_HEAD) {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) =>
    r
      .map((v, i) => String(v).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const SCALE_HEAD = [
  'API × workers',
  'payments/s',
  'p50 / p99 ms',
  'CPU µs/payment (all / net of idle)',
  'server',
  'workers',
  'postgres',
  'redis',
  'bench',
  'postgres share',
  'cores busy (all / pg)',
  'pg xacts/payment',
  'pg busy backends',
  'pg busy on (% of busy samples, top 3)',
  'check',
];

/** Rows of the scale-out table (SCALE_HEAD): one per configuration, CPU per payment in all and by process. */
export function scaleRows(r) {
  return (r.scale ?? []).map((p) => [
    `${p.api_processes} × ${p.workers}`,
    `${p.webhooked_per_second}/s`,
    `${p.p50_ms} / ${p.p99_ms}`,
    `${fmt(p.cpu_us_per_payment.total)} / ${fmt(p.cpu_us_per_payment_net_of_idle?.total)}`,
    fmt(p.cpu_us_per_payment.server),
    fmt(p.cpu_us_per_payment.workers),
    fmt(p.cpu_us_per_payment.postgres),
    fmt(p.cpu_us_per_payment.redis),
    fmt(p.cpu_us_per_payment.bench),
    `${p.postgres_share_of_cpu_pct} %`,
    `${p.cores_busy.toFixed(2)} / ${p.postgres_cores_busy.toFixed(2)}`,
    fmt(p.work_per_payment?.pg_xacts),
    fmt(p.postgres_activity?.busy_backends_mean),
    Object.entries(p.postgres_activity?.busy_by_wait_pct ?? {})
      .map(([wait, pct]) => `${wait} ${pct}`)
      .join(', '),
    check(p),
  ]);
}

/** CPU µs per payment by process, for the runs that have it: where the CPU goes. */
export function cpuBreakdown(r) {
  const out = [];
  for (const [mode, runs] of [
    ['split', r.split ?? {}],
    ['embedded', r.embedded ?? {}],
  ]) {
    const line = (label, cpu) =>
      out.push(
        `${label.padEnd(28)} ${Object.entries(cpu)
          .map(([k, v]) => `${k} ${v}`)
          .join('  ')}`,
      );
    if (runs.idle_cpu_ms_per_s) line(`${mode} idle, CPU ms per s`, runs.idle_cpu_ms_per_s);
    for (const [name, run] of Object.entries(runs)) {
      if (name === 'idle_cpu_ms_per_s') continue;
      const cpu = run.cpu_us_per_payment ?? run.cpu_us_per_order;
      if (cpu) line(`${mode} ${name}`, cpu);
      const net = run.cpu_us_per_payment_net_of_idle ?? run.cpu_us_per_order_net_of_idle;
      if (net) line(`${mode} ${name} net of idle`, net);
      if (run.others_cpu_ms_per_s) line(`${mode} ${name} others, ms per s`, run.others_cpu_ms_per_s);
      const work = run.work_per_payment ?? run.work_per_order;
      if (work)
        line(`${mode} ${name} work per unit`, {
          pg_xacts: work.pg_xacts,
          ...(work.wal_bytes === undefined ? {} : { wal_bytes: work.wal_bytes }), // not in runs before the twenty-second sitting
          redis_commands: work.redis_commands,
          ...(work.redis_reads === undefined ? {} : { redis_reads: work.redis_reads }),
          ...work.redis_by_command,
        });
    }
  }
  return out.join('\n');
}

// What PostgreSQL writes to its WAL a payment, record by record and table by table: every row
// and index entry a payment makes is a WAL record, so the count judges a change to the schema or
// to the statements exactly, where PostgreSQL's CPU a payment moves by a fifth from one run to
// the next on a shared host (docs/performance.md, twenty-second sitting). A split deployment as
// the bench starts it, a warm-up, the orders made, then the server's WAL position before and after
// paying them (the split e2e closed loop), and PostgreSQL's own reader of that stretch of WAL
// (`pg_walinspect`, in PostgreSQL 14's contrib and later; the tool creates the extension in the
// admin database, so it needs a superuser, as the bench's PAYGATE_TEST_POSTGRES_URL has here).
// Needs `npm run build`, PostgreSQL and redis-server; under a minute with the defaults:
//   node packages/server/bench/micro/wal-records.mjs [--payments 5000] [--concurrency 64] [--workers 2] [--top 40]
// The WAL is the whole server's: run it alone on the server. Full-page images (the first change to
// a page after a checkpoint) depend on when checkpoints fall, so they are shown apart.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ADMIN_URL } from '../lib/database.mjs';
import { startSplit } from '../lib/deployments.mjs';
import { createOrders, payAll } from '../lib/payments-driver.mjs';
import { Children } from '../lib/processes.mjs';
import { readyDeployment } from '../lib/ready-deployment.mjs';

const { values: args } = parseArgs({
  options: {
    payments: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '64' },
    workers: { type: 'string', default: '2' },
    top: { type: 'string', default: '40' },
  },
});
const payments = Number(args.payments);
const concurrency = Number(args.concurrency);

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
try {
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
} catch (error) {
  console.error(`pg_walinspect is needed (PostgreSQL 15's contrib; a superuser creates it): ${error.message}`);
  process.exit(1);
}
const walPosition = async () => (await admin.query('SELECT pg_current_wal_lsn() AS lsn')).rows[0].lsn;

const children = new Children();
let deployment;
try {
  deployment = await startSplit(children, { workers: Number(args.workers) });
  const { api, receiver, close } = await readyDeployment(deployment, { connections: concurrency });
  try {
    const orders = await createOrders(api, payments, Math.max(concurrency, 16));
    const start = await walPosition();
    await payAll({ api, receiver, orders, concurrency });
    // The attempt log lingers before it writes its batch: let the last one land
    await new Promise((r) => setTimeout(r, 1_000));
    const end = await walPosition();

    const { rows: dbRows } = await admin.query('SELECT oid FROM pg_database WHERE datname = $1', [deployment.db.name]);
    const names = new Map((await deployment.db.query('SELECT relfilenode::text AS node, relname FROM pg_class')).rows.map((r) => [r.node, r.relname]));
    const { rows } = await admin.query(
      `SELECT resource_manager || ' ' || record_type AS kind,
              (regexp_match(block_ref, 'rel \\d+/(\\d+)/(\\d+)')) AS rel,
              count(*)::int AS records, sum(record_length - fpi_length)::bigint AS bytes, sum(fpi_length)::bigint AS fpi_bytes
         FROM pg_get_wal_records_info($1, $2)
        GROUP BY 1, 2`,
      [start, end],
    );
    const ours = String(dbRows[0].oid);
    const lines = new Map();
    const total = { records: 0, bytes: 0, fpi_bytes: 0 };
    for (const r of rows) {
      // Records of another database's pages are not ours; records of no page (commits) are
      const relation = r.rel ? (r.rel[0] === ours ? (names.get(r.rel[1]) ?? `relfilenode ${r.rel[1]}`) : null) : '(no page)';
      if (relation === null) continue;
      const key = `${relation}\t${r.kind}`;
      const line = lines.get(key) ?? { relation, kind: r.kind, records: 0, bytes: 0 };
      line.records += r.records;
      line.bytes += Number(r.bytes);
      lines.set(key, line);
      total.records += r.records;
      total.bytes += Number(r.bytes);
      total.fpi_bytes += Number(r.fpi_bytes);
    }
    const per = (n) => (n / payments).toFixed(2);
    console.log(
      `WAL a payment, split e2e closed loop, ${payments} payments, ${concurrency} in flight, ${args.workers} workers (orders made before, not counted):`,
    );
    console.log(
      `  ${per(total.records)} records, ${Math.round(total.bytes / payments)} bytes without full-page images, ${Math.round(total.fpi_bytes / payments)} bytes of them\n`,
    );
    console.log(`${'relation'.padEnd(52)} ${'record'.padEnd(22)} ${'records'.padStart(8)} ${'bytes'.padStart(7)}`);
    for (const l of [...lines.values()].sort((a, b) => b.records - a.records).slice(0, Number(args.top))) {
      console.log(`${l.relation.padEnd(52)} ${l.kind.padEnd(22)} ${per(l.records).padStart(8)} ${String(Math.round(l.bytes / payments)).padStart(7)}`);
    }
  } finally {
    await close();
  }
} finally {
  await deployment?.stop();
  await children.stopAll();
  await admin.end();
}

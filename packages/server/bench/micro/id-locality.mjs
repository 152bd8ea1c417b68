// What the shape of an id costs PostgreSQL once a table is large: a table keyed by text ids,
// prefilled with --rows of them, then --inserts single-row INSERTs after a CHECKPOINT (--clients at
// once, each its own commit), for ids as `newId` makes them (the second they were made first) and
// as Paygate made them before (16 random base62 characters). Per insert it reports the WAL written
// and how much of it was whole pages (the first change to a page after a checkpoint copies it),
// the primary key's pages read from outside shared buffers, and the rate. The WAL counters are the
// server's (`pg_stat_wal`): run it alone on the server. Needs `npm run build` and PostgreSQL; about
// a minute with the defaults:
//   node packages/server/bench/micro/id-locality.mjs [--rows 2000000] [--inserts 20000] [--clients 8]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { newId } from '@paygate/core';
import pg from 'pg';
import { ADMIN_URL } from '../lib/database.mjs';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '2000000' },
    inserts: { type: 'string', default: '20000' },
    clients: { type: 'string', default: '8' },
  },
});
const rows = Number(args.rows);
const inserts = Number(args.inserts);
const clients = Number(args.clients);

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** An id as `newId` made it before ids began with their second: 16 uniformly random base62 characters. */
function randomId() {
  let out = 'pay_';
  while (out.length < 20) {
    for (const byte of randomBytes(24)) if (byte < 248 && out.length < 20) out += BASE62[byte % 62];
  }
  return out;
}
// The prefilled rows as if made over the past, 200 a second, so that the table holds many seconds.
const timedId = (age) => newId('payment', undefined, Date.now() - Math.round(age * 5));

const SHAPES = {
  'random (before)': { table: 'id_locality_random', make: randomId },
  'second first (newId)': { table: 'id_locality_timed', make: () => newId('payment'), prefill: timedId },
};

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
const counters = async (table) => {
  const { rows: r } = await admin.query(
    `SELECT w.wal_bytes::bigint AS wal_bytes, w.wal_fpi::bigint AS fpi, w.wal_records::bigint AS records,
            coalesce(i.idx_blks_read, 0)::bigint AS idx_read
       FROM pg_stat_wal w LEFT JOIN pg_statio_user_indexes i ON i.indexrelname = $1`,
    [`${table}_pkey`],
  );
  return Object.fromEntries(Object.entries(r[0]).map(([k, v]) => [k, Number(v)]));
};

const results = [];
try {
  for (const [shape, { table, make, prefill = make }] of Object.entries(SHAPES)) {
    process.stdout.write(`${shape}: ${rows} rows …`);
    await admin.query(`DROP TABLE IF EXISTS ${table}`);
    await admin.query(`CREATE TABLE ${table} (id text NOT NULL, amount integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    for (let done = 0; done < rows;) {
      const chunk = Math.min(50_000, rows - done);
      const ids = Array.from({ length: chunk }, (_, i) => prefill(rows - done - i));
      await admin.query(`INSERT INTO ${table} (id, amount) SELECT id, 100 FROM unnest($1::text[]) AS id`, [ids]);
      done += chunk;
    }
    // Built after the load, as a table grown over time would be close to: leaves packed, then split by inserts
    await admin.query(`ALTER TABLE ${table} ADD PRIMARY KEY (id)`);
    await admin.query(`VACUUM (ANALYZE) ${table}`);
    const { rows: size } = await admin.query(`SELECT pg_relation_size($1) AS bytes`, [`${table}_pkey`]);
    await admin.query('CHECKPOINT');

    const pool = await Promise.all(
      Array.from({ length: clients }, async () => {
        const c = new pg.Client({ connectionString: ADMIN_URL });
        await c.connect();
        return c;
      }),
    );
    const before = await counters(table);
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      pool.map(async (c) => {
        while (next < inserts) {
          next += 1;
          await c.query({ name: `insert_${table}`, text: `INSERT INTO ${table} (id, amount) VALUES ($1, 100)`, values: [make()] });
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // A backend sends its table statistics when it ends: end the clients before reading them
    await Promise.all(pool.map((c) => c.end()));
    let after = await counters(table);
    for (let i = 0; i < 50 && after.idx_read === before.idx_read; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      after = await counters(table);
    }
    const per = (key) => (after[key] - before[key]) / inserts;
    results.push({
      shape,
      index_mb: (Number(size[0].bytes) / 2 ** 20).toFixed(0),
      wal_bytes: per('wal_bytes').toFixed(0),
      fpi: per('fpi').toFixed(3),
      records: per('records').toFixed(2),
      idx_read: per('idx_read').toFixed(3),
      rate: Math.round(inserts / seconds),
    });
    process.stdout.write(' done\n');
    await admin.query(`DROP TABLE ${table}`);
  }
} finally {
  await admin.end();
}

console.log(`\n${inserts} single-row INSERTs after a CHECKPOINT, ${clients} clients, into a table of ${rows} rows; per insert:`);
const head = ['ids', 'primary key MB', 'WAL bytes', 'full pages', 'WAL records', 'key pages read', 'inserts/s'];
const table = results.map((r) => [r.shape, r.index_mb, r.wal_bytes, r.fpi, r.records, r.idx_read, String(r.rate)]);
const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
for (const line of [head, widths.map((w) => '-'.repeat(w)), ...table]) console.log(line.map((c, i) => c.padEnd(widths[i])).join('  '));

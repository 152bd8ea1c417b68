// What the orders' room on the page (`fillfactor` 50, migration 20261203000100) costs over a long
// life, against full pages: the heap and index sizes after many orders, each updated twice soon
// after its insert, as the payment path does (docs/performance.md, twenty-third sitting). On a
// migrated scratch database per setting, autovacuum on as shipped: each round inserts a batch of
// orders, moves the batch before it to `attempted` and the one before that to `paid`, each
// statement its own transaction; after the rounds a VACUUM, then as many rounds again (the full
// pages now have vacuumed space to reuse) and a VACUUM. Needs `npm run build` and PostgreSQL;
// about two minutes a setting with the defaults:
//   node packages/server/bench/micro/fillfactor-life.mjs [--rounds 2000] [--batch 50] [--fillfactors 50,100]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createTempDatabase } from '../lib/database.mjs';
import { BENCH_ENV } from '../lib/deployments.mjs';
import { Children, startCli } from '../lib/processes.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '50' },
    fillfactors: { type: 'string', default: '50,100' },
  },
});
const rounds = Number(args.rounds);
const batch = Number(args.batch);
const MERCHANT = 'merch_fillfactor000000';

/** The ids of round `r`'s orders: the same text every time, so a later round can update them. */
const idsOf = (r) => Array.from({ length: batch }, (_, i) => `order_${String(r).padStart(8, '0')}${String(i).padStart(8, '0')}`);

async function sizes(client) {
  const { rows } = await client.query(
    `SELECT pg_relation_size('orders') AS heap, pg_indexes_size('orders') AS indexes, (SELECT count(*) FROM orders)::int AS orders,
            n_tup_hot_upd AS hot, n_tup_upd AS updates
       FROM pg_stat_user_tables WHERE relname = 'orders'`,
  );
  return rows[0];
}

const mb = (bytes) => `${(Number(bytes) / 1048576).toFixed(2)} MB`;
function report(fillfactor, label, s) {
  console.log(
    `fillfactor ${String(fillfactor).padStart(3)}  ${label.padEnd(30)} heap ${mb(s.heap)} (${Math.round(s.heap / s.orders)} B an order), ` +
      `indexes ${mb(s.indexes)}, together ${mb(Number(s.heap) + Number(s.indexes))}; orders ${s.orders}, HOT updates ${s.hot} of ${s.updates} (statistics lag)`,
  );
}

async function run(fillfactor) {
  const children = new Children();
  const db = await createTempDatabase('paygate_micro_fill');
  const client = new pg.Client({ connectionString: db.url });
  try {
    await startCli(children, 'migrate', ['migrate'], { env: { ...process.env, ...BENCH_ENV, DATABASE_URL: db.url }, ready: null });
    await client.connect();
    await client.query(`ALTER TABLE orders SET (fillfactor = ${fillfactor})`);
    await client.query(
      `INSERT INTO merchants (id, name, email, api_key, api_secret_hash, webhook_secret, created_at, updated_at)
       VALUES ($1, 'fillfactor', 'fillfactor@example.com', 'key_fillfactor', repeat('0', 64), 'whsec_fillfactor', now(), now())`,
      [MERCHANT],
    );
    const round = async (r) => {
      await client.query(
        `INSERT INTO orders (id, merchant_id, amount, currency, status, created_at, updated_at)
         SELECT id, $2, 50000, 'INR', 'created', now(), now() FROM unnest($1::text[]) AS id`,
        [idsOf(r), MERCHANT],
      );
      if (r >= 1) await client.query(`UPDATE orders SET status = 'attempted', updated_at = now() WHERE id = ANY ($1)`, [idsOf(r - 1)]);
      if (r >= 2) await client.query(`UPDATE orders SET status = 'paid', updated_at = now() WHERE id = ANY ($1)`, [idsOf(r - 2)]);
    };
    for (const [half, label] of [
      [0, `${rounds * batch} orders, VACUUM`],
      [1, `${2 * rounds * batch} orders, VACUUM`],
    ]) {
      for (let r = half * rounds; r < (half + 1) * rounds; r += 1) await round(r);
      await client.query('VACUUM orders');
      report(fillfactor, label, await sizes(client));
    }
  } finally {
    await client.end().catch(() => {});
    await children.stopAll();
    await db.drop(false);
  }
}

for (const fillfactor of args.fillfactors.split(',').map(Number)) await run(fillfactor);

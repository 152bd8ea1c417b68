// Embedded mode's database ceiling: single-row INSERTs, one at a time (PGlite has one
// connection), into a fresh on-disk PGlite like `pg-cli dev` uses, for argv[2] seconds.
// Prints one JSON line: {"inserts_per_second": …, "cpu_us_per_insert": …}.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const seconds = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'paygate-bench-pglite-'));
try {
  const db = await PGlite.create(dir);
  await db.exec(
    'CREATE TABLE scratch (id bigserial PRIMARY KEY, merchant_id text NOT NULL, amount bigint NOT NULL, currency text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );
  const insert = () => db.query('INSERT INTO scratch (merchant_id, amount, currency) VALUES ($1, $2, $3)', ['merchant_1', 50000, 'INR']);
  for (let i = 0; i < 200; i += 1) await insert(); // warm up
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) {
    await insert();
    n += 1;
  }
  const elapsed = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  await db.close();
  process.stdout.write(`${JSON.stringify({ inserts_per_second: Math.round(n / elapsed), cpu_us_per_insert: Math.round((used.user + used.system) / n) })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

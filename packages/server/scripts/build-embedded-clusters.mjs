// Runs initdb and the migrations once, at build time, and keeps the clusters they made: a new
// `pg-cli dev` data dir and every new in-memory database unpacks one instead of running them
// again (initdb alone is 5 s on 2 cores). See EMBEDDED_CLUSTER_FILES for which is used when.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { EMBEDDED_CLUSTER_FILES, initdbCluster, packCluster } from '../dist/adapters/db/embedded-postgres.js';
import { createDatabase } from '../dist/adapters/db/create-database.js';
import { migrateToLatest } from '../dist/adapters/db/migration-source.js';
import { keepPaymentPathPlanned } from '../dist/adapters/db/payment-path-plans.js';

const started = performance.now();
const folder = path.dirname(fileURLToPath(EMBEDDED_CLUSTER_FILES.initdb));
rmSync(folder, { recursive: true, force: true }); // clusters of an earlier PGlite or earlier migrations
mkdirSync(folder, { recursive: true });

async function write(name, blob) {
  const file = fileURLToPath(EMBEDDED_CLUSTER_FILES[name]);
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  console.log(`embedded cluster (${name}): ${path.relative(process.cwd(), file)}, ${(blob.size / 1e6).toFixed(1)} MB`);
}

const pglite = await initdbCluster();
await write('initdb', await packCluster(pglite));
// The same cluster, migrated: knex on that very engine (destroying knex closes it). With the
// payment path's functions too: a gateway on a new database finds them instead of creating them
// (140-160 ms on PGlite, which the first request waited for; see plan-cached.ts).
const db = createDatabase({ kind: 'pglite', dataDir: 'memory' }, { dataDir: 'memory', pglite });
try {
  await migrateToLatest(db);
  const problems = [];
  if (!(await keepPaymentPathPlanned(db, { create: true, warn: (message) => problems.push(message) }))) {
    throw new Error(`the payment path's functions could not be created: ${problems.join('; ')}`);
  }
  await write('migrated', await packCluster(pglite));
} finally {
  await db.destroy();
}
console.log(`embedded clusters built in ${Math.round(performance.now() - started)} ms`);

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS } from './migration-source.js';
import { EmbeddedPostgresThread, type EmbeddedEngine } from './embedded-postgres-thread.js';

/**
 * PGlite's shared buffers. Its default (PostgreSQL's, 128MB) is set up at every start: on a
 * 2-core machine that alone was 0.35 s of the 1.0 s a reopen took (0.98 → 0.63 s), and 0.25 s of
 * a fresh data dir's initdb. A local gateway's working set is far smaller, and what does not fit
 * is read back from the operating system's page cache.
 */
const SHARED_BUFFERS = '16MB';
/** PostgreSQL settings, on top of PGlite's own start parameters. */
const SETTINGS = ['-c', `shared_buffers=${SHARED_BUFFERS}`];

/** An embedded database being opened: where its data lives, and the engine (ready once `waitReady` resolves). */
export type EmbeddedPostgres = { dataDir: string | 'memory'; pglite: EmbeddedEngine };

// Its package.json is not among its exports: found beside the entry (dist/index.cjs).
const PGLITE_VERSION = (
  JSON.parse(readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/**
 * The clusters `npm run build` makes once (scripts/build-embedded-clusters.mjs), so that a new
 * database unpacks one instead of running initdb (5 s on 2 cores) and the migrations (1–2 s):
 * `initdb`, as initdb leaves it; `migrated`, with this build's migrations applied. Each is named
 * after the PGlite version that made it, and the migrated one after the migrations it holds, so
 * a cluster from another version or another set of migrations is never picked up. The same path
 * from src/ and from dist/: both sit two folders below the package root.
 */
export const EMBEDDED_CLUSTER_FILES = {
  initdb: new URL(`../../../dist/embedded-clusters/pglite-${PGLITE_VERSION}-initdb.tar.gz`, import.meta.url),
  migrated: new URL(
    `../../../dist/embedded-clusters/pglite-${PGLITE_VERSION}-migrated-${MIGRATIONS.length}-${MIGRATIONS.at(-1)!.name}.tar.gz`,
    import.meta.url,
  ),
} as const;

/** The file a database that has no cluster yet starts from: the migrated one if asked for and built, else the initdb one if built. */
function clusterFile(migrated: boolean): URL | undefined {
  return [migrated ? EMBEDDED_CLUSTER_FILES.migrated : undefined, EMBEDDED_CLUSTER_FILES.initdb].find((f) => f !== undefined && existsSync(f));
}

/**
 * Starts opening the embedded PostgreSQL (PGlite) in `dataDir` ("memory" for none), on a thread of
 * its own ({@link EmbeddedPostgresThread}), and returns at once: a caller may start it first and
 * load the rest of the gateway meanwhile. A new data dir gets a cluster unpacked there first.
 * Throws at once when `dataDir` cannot be made (a file is in the way, no permission).
 *
 * @param options.migrated  a new database starts with this build's migrations applied (for a
 *   gateway that migrates on start anyway); otherwise it starts empty, as initdb leaves it.
 */
export function openEmbeddedPostgres(dataDir: string | 'memory', options: { migrated?: boolean } = {}): EmbeddedPostgres {
  const file = clusterFile(options.migrated === true);
  // Here rather than on the thread: a folder that cannot be made is the caller's error, at once.
  if (dataDir !== 'memory') mkdirSync(dataDir, { recursive: true });
  const pglite = new EmbeddedPostgresThread({
    dataDir: dataDir === 'memory' ? dataDir : path.resolve(dataDir),
    clusterFile: file && fileURLToPath(file),
    settings: SETTINGS,
  });
  return { dataDir, pglite };
}

/** Packs an open cluster the way PGlite's `loadDataDir` reads it (a gzip'd tar), for the build. */
export async function packCluster(pglite: PGlite): Promise<Blob> {
  await pglite.waitReady; // dumpDataDir does not wait for it
  return pglite.dumpDataDir('gzip');
}

/** A new in-memory cluster made by initdb with this module's settings, for the build (on the build's thread: it packs it). */
export async function initdbCluster(): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  return new PGlite({ startParams: [...PGlite.defaultStartParams, ...SETTINGS], initDbStartParams: SETTINGS });
}

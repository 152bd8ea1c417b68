import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS } from './migration-source.js';
import { unpackTar } from './unpack-tar.js';

/**
 * PGlite's shared buffers. Its default (PostgreSQL's, 128MB) is set up at every start: on a
 * 2-core machine that alone was 0.35 s of the 1.0 s a reopen took (0.98 → 0.63 s), and 0.25 s of
 * a fresh data dir's initdb. A local gateway's working set is far smaller, and what does not fit
 * is read back from the operating system's page cache.
 */
const SHARED_BUFFERS = '16MB';
const SETTINGS = ['-c', `shared_buffers=${SHARED_BUFFERS}`];
const START_PARAMS = [...PGlite.defaultStartParams, ...SETTINGS];

/** An embedded database being opened: where its data lives, and the engine (ready once `waitReady` resolves). */
export type EmbeddedPostgres = { dataDir: string | 'memory'; pglite: PGlite };

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
 * PostgreSQL's marker of a data dir that holds a cluster: PGlite runs initdb where it is missing,
 * and {@link unpackTar} writes it last, so a folder whose unpacking was cut short is unpacked again.
 */
const CLUSTER_MARKER = 'PG_VERSION';

/**
 * Starts opening the embedded PostgreSQL (PGlite) in `dataDir` ("memory" for none) and returns
 * at once: opening takes most of a `pg-cli dev` start, so a caller may start it first and load
 * the rest of the gateway meanwhile (the WebAssembly compiles on other threads).
 *
 * @param options.migrated  a new database starts with this build's migrations applied (for a
 *   gateway that migrates on start anyway); otherwise it starts empty, as initdb leaves it.
 */
export function openEmbeddedPostgres(dataDir: string | 'memory', options: { migrated?: boolean } = {}): EmbeddedPostgres {
  const settings = { startParams: START_PARAMS, initDbStartParams: SETTINGS };
  const file = clusterFile(options.migrated === true);
  let pglite: PGlite;
  if (dataDir === 'memory') {
    pglite = new PGlite({ ...settings, ...(file ? { loadDataDir: new Blob([readFileSync(file)], { type: 'application/x-gzip' }) } : {}) });
  } else {
    mkdirSync(dataDir, { recursive: true });
    // Unpacked here rather than by PGlite's loadDataDir, which writes file by file through its
    // WebAssembly file system: 2.6–4.5 s against 0.2 s.
    if (file && !existsSync(path.join(dataDir, CLUSTER_MARKER))) unpackTar(gunzipSync(readFileSync(file)), dataDir, { last: CLUSTER_MARKER });
    pglite = new PGlite(dataDir, settings);
  }
  // Nobody may await it before the gateway does; its failure is reported there (knex waits for it).
  pglite.waitReady.catch(() => undefined);
  return { dataDir, pglite };
}

/** Packs an open cluster the way PGlite's `loadDataDir` reads it (a gzip'd tar), for the build. */
export async function packCluster(pglite: PGlite): Promise<Blob> {
  await pglite.waitReady; // dumpDataDir does not wait for it
  return pglite.dumpDataDir('gzip');
}

/** A new in-memory cluster made by initdb with this module's settings, for the build. */
export function initdbCluster(): PGlite {
  return new PGlite({ startParams: START_PARAMS, initDbStartParams: SETTINGS });
}

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's shared buffers. Its default (PostgreSQL's, 128MB) is set up at every start: on a
 * 2-core machine that alone was 0.35 s of the 1.0 s a reopen took (0.98 → 0.63 s), and 0.25 s of
 * a fresh data dir's initdb. A local gateway's working set is far smaller, and what does not fit
 * is read back from the operating system's page cache.
 */
const SHARED_BUFFERS = '16MB';
const SETTINGS = ['-c', `shared_buffers=${SHARED_BUFFERS}`];

/** An embedded database being opened: where its data lives, and the engine (ready once `waitReady` resolves). */
export type EmbeddedPostgres = { dataDir: string | 'memory'; pglite: PGlite };

/**
 * Starts opening the embedded PostgreSQL (PGlite) in `dataDir` ("memory" for none) and returns
 * at once: opening takes most of a `pg-cli dev` start, so a caller may start it first and load
 * the rest of the gateway meanwhile (the WebAssembly compiles on other threads).
 */
export function openEmbeddedPostgres(dataDir: string | 'memory'): EmbeddedPostgres {
  if (dataDir !== 'memory') mkdirSync(dataDir, { recursive: true });
  const options = { startParams: [...PGlite.defaultStartParams, ...SETTINGS], initDbStartParams: SETTINGS };
  const pglite = dataDir === 'memory' ? new PGlite(options) : new PGlite(dataDir, options);
  // Nobody may await it before the gateway does; its failure is reported there (knex waits for it).
  pglite.waitReady.catch(() => undefined);
  return { dataDir, pglite };
}

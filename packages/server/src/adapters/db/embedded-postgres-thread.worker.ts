// The embedded PostgreSQL's own thread: it opens PGlite and runs what the gateway's thread asks,
// one message at a time (see embedded-postgres-thread.ts for why, and for the other side).
//
// Run from dist/ only, also by tests that run the rest from src/ (a worker thread does not go
// through their TypeScript loader): it imports nothing of ours but unpack-tar.js and
// query-in-one-message.js (with extended-query-reply.js), so it seldom changes, and `npm run
// build` brings it up to date.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Results } from '@electric-sql/pglite';
import { queryInOneMessage } from './query-in-one-message.js';
import { unpackTar } from './unpack-tar.js';
import type { EngineReply, EngineRequest, EngineSetup, ThreadError } from './embedded-postgres-thread.js';

/**
 * PostgreSQL's marker of a data dir that holds a cluster: PGlite runs initdb where it is missing,
 * and {@link unpackTar} writes it last, so a folder whose unpacking was cut short is unpacked again.
 */
const CLUSTER_MARKER = 'PG_VERSION';

function open({ dataDir, clusterFile, settings: given }: EngineSetup): PGlite {
  const settings = { startParams: [...PGlite.defaultStartParams, ...given], initDbStartParams: given };
  if (dataDir === 'memory') {
    return new PGlite({ ...settings, ...(clusterFile ? { loadDataDir: new Blob([readFileSync(clusterFile)], { type: 'application/x-gzip' }) } : {}) });
  }
  mkdirSync(dataDir, { recursive: true });
  // Unpacked here rather than by PGlite's loadDataDir, which writes file by file through its
  // WebAssembly file system: 2.6–4.5 s against 0.2 s.
  if (clusterFile && !existsSync(path.join(dataDir, CLUSTER_MARKER))) unpackTar(gunzipSync(readFileSync(clusterFile)), dataDir, { last: CLUSTER_MARKER });
  return new PGlite(dataDir, settings);
}

/** What crosses back of `exec`'s results: PGlite's Results hold more than knex reads (a query's reply is read to these three already). */
const plain = ({ rows, fields, affectedRows }: Results): Results => ({ rows, fields, affectedRows });

/** What crosses back of an error: its message and PostgreSQL's fields (code, constraint, column…), which callers classify it by. */
function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields = Object.fromEntries(Object.entries(error).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v)));
  return { ...fields, name: error.name, message: error.message };
}

const port = parentPort!;
const reply = (message: EngineReply) => port.postMessage(message);

/** The engine, open, or undefined once the failure is reported (the thread then ends: nothing else holds it). */
async function openOrReport(): Promise<PGlite | undefined> {
  try {
    const pglite = open(workerData as EngineSetup);
    await pglite.waitReady;
    reply({ kind: 'ready' });
    return pglite;
  } catch (error) {
    reply({ kind: 'failed', error: toThreadError(error) });
    port.close();
    return undefined;
  }
}

/** Runs one request and replies; a close also ends the thread. Resolves once it has replied. */
function answer(pglite: PGlite, request: EngineRequest): Promise<void> {
  const run = async (): Promise<unknown> => {
    switch (request.kind) {
      case 'query':
        return await queryInOneMessage(pglite, request.sql, request.params, request.rowMode);
      case 'exec':
        return (await pglite.exec(request.sql)).map(plain);
      case 'close':
        await pglite.close();
        return undefined;
    }
  };
  return run().then(
    (result) => {
      reply({ kind: 'result', id: request.id, result });
      if (request.kind === 'close') port.close(); // the thread ends
    },
    (error: unknown) => reply({ kind: 'error', id: request.id, error: toThreadError(error) }),
  );
}

// The listener goes on before PGlite opens so that the port keeps this thread's event loop alive
// meanwhile. With nothing alive, Node waits in its platform's DrainTasks until every V8 background
// job is done, and PGlite's WebAssembly tier-up (TurboFan, set off as it finishes opening) then
// held the first statement 250–340 ms. Requests run one at a time, in the order they came: a
// statement in one message does not take PGlite's lock as its `query` and `exec` do, so the
// order is kept here. A failed open is reported, and nothing is asked after it.
const opening = openOrReport();
let answered: Promise<unknown> = opening;
port.on('message', (request: EngineRequest) => {
  answered = answered.then(async () => {
    const pglite = await opening;
    if (pglite) await answer(pglite, request);
  });
});

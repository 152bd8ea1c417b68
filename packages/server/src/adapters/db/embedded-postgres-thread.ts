import { Worker } from 'node:worker_threads';
import type { PGlite, Results } from '@electric-sql/pglite';

/**
 * The part of PGlite's interface the gateway uses (its knex client: `query`, `waitReady`, `close`;
 * tests and the build: `exec`, `closed`). Both PGlite itself and {@link EmbeddedPostgresThread} have it.
 */
export type EmbeddedEngine = Pick<PGlite, 'waitReady' | 'query' | 'exec' | 'close' | 'closed'>;

/** What the thread opens: a data dir (or "memory"), the cluster a new one starts from, PostgreSQL settings (`-c name=value`…). */
export type EngineSetup = { dataDir: string | 'memory'; clusterFile: string | undefined; settings: string[] };

export type EngineRequest =
  | { kind: 'query'; id: number; sql: string; params: unknown[] | undefined; rowMode: 'array' | 'object' | undefined }
  | { kind: 'exec'; id: number; sql: string }
  | { kind: 'close'; id: number };

/** An error as it crosses threads: PostgreSQL's fields kept (code, constraint, column, detail…). */
export type ThreadError = { name: string; message: string } & Record<string, string | number | boolean | null>;

export type EngineReply =
  | { kind: 'ready' }
  | { kind: 'failed'; error: ThreadError }
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: ThreadError };

// From src/ and from dist/ alike (both sit two folders below the package root): the worker runs
// as JavaScript, so tests that run the rest from src/ use the build's (see the worker's header).
export const WORKER_FILE = new URL('../../../dist/adapters/db/embedded-postgres-thread.worker.js', import.meta.url);

function fromThread(error: ThreadError): Error {
  const { name, message, ...fields } = error;
  return Object.assign(new Error(message), fields, { name });
}

/**
 * PGlite on a thread of its own. Opening it is 0.4–0.6 s of WebAssembly on whichever thread runs
 * it, and every statement's planning and execution too: on the gateway's thread, a `pg-cli dev`
 * start did that work after loading its modules, one after the other, and every payment's
 * statements took turns with its HTTP and JSON work on one core. Here both go on at once, on two.
 *
 * Each statement is a message each way (28 µs a round trip when both threads are busy, ≈ 0.25 ms
 * on this project's VMs when the other one has gone idle), its parameters and rows copied by
 * structured clone (Dates, numbers, strings, Uint8Arrays and plain objects cross as they are). So
 * the group commits run one statement at a time here (see lib/statements-at-once.ts).
 * The thread keeps the process alive only while it is opening or a statement is pending, as a
 * socket does: an embedded database nobody closed does not hold the process at its end.
 */
export class EmbeddedPostgresThread implements EmbeddedEngine {
  readonly waitReady: Promise<void>;
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 0;
  #opening = true;
  #closed = false;
  /** Why no statement can run any more (the thread failed to open, died, or was closed). */
  #gone: Error | undefined;

  constructor(setup: EngineSetup) {
    this.#worker = new Worker(WORKER_FILE, { workerData: setup });
    this.waitReady = new Promise<void>((resolve, reject) => {
      this.#worker.on('message', (reply: EngineReply) => {
        if (reply.kind === 'ready') {
          this.#opening = false;
          this.#holdProcessWhileBusy();
          resolve();
        } else if (reply.kind === 'failed') {
          this.#stop(fromThread(reply.error));
          reject(this.#gone);
        } else this.#settle(reply);
      });
      this.#worker.on('error', (error) => {
        this.#stop(error);
        reject(error);
      });
      this.#worker.on('exit', (code) => {
        const error = new Error(`the embedded database's thread ended (exit code ${code})`);
        this.#stop(this.#gone ?? error);
        reject(this.#gone);
      });
    });
    // Whoever awaits it (knex, at the first statement) reports the failure; nobody else must.
    this.waitReady.catch(() => undefined);
  }

  async query<T>(sql: string, params?: unknown[], options?: { rowMode?: 'array' | 'object' }): Promise<Results<T>> {
    if (this.#opening) await this.waitReady;
    return (await this.#ask({ kind: 'query', id: 0, sql, params, rowMode: options?.rowMode })) as Results<T>;
  }

  async exec(sql: string): Promise<Results[]> {
    if (this.#opening) await this.waitReady;
    return (await this.#ask({ kind: 'exec', id: 0, sql })) as Results[];
  }

  /** Closes PGlite (it writes what it holds to the data dir) and ends the thread; once opened or failed, if it is still opening. */
  async close(): Promise<void> {
    const opened = await this.waitReady.then(
      () => true,
      () => false,
    );
    if (opened && !this.#gone) await this.#ask({ kind: 'close', id: 0 });
    this.#stop(new Error('the embedded database is closed'));
    await this.#worker.terminate();
    this.#closed = true;
  }

  /** Whether {@link close} has finished. */
  get closed(): boolean {
    return this.#closed;
  }

  #ask(request: EngineRequest): Promise<unknown> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = (this.#nextId += 1);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) this.#holdProcessWhileBusy();
      this.#worker.postMessage({ ...request, id });
    });
  }

  #settle(reply: Extract<EngineReply, { id: number }>): void {
    const waiter = this.#pending.get(reply.id);
    if (!waiter) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#holdProcessWhileBusy();
    if (reply.kind === 'result') waiter.resolve(reply.result);
    else waiter.reject(fromThread(reply.error));
  }

  #stop(reason: Error): void {
    this.#gone ??= reason;
    for (const waiter of this.#pending.values()) waiter.reject(this.#gone);
    this.#pending.clear();
  }

  #holdProcessWhileBusy(): void {
    if (this.#opening || this.#pending.size > 0) this.#worker.ref();
    else this.#worker.unref();
  }
}

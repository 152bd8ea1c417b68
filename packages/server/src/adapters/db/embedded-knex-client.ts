import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import type { Results } from '@electric-sql/pglite';
import type { EmbeddedEngine } from './embedded-postgres-thread.js';

// knex's PostgreSQL dialect (SQL compilation, transactions, response shapes); only the connection
// is ours. Loaded by path, as knex publishes no entry for a dialect's class.
type KnexClientClass = new (config: Knex.Config) => Record<string, unknown>;
const PostgresClient = createRequire(import.meta.url)('knex/lib/dialects/postgres/index.js') as KnexClientClass;

type CompiledQuery = { sql?: string; bindings?: unknown[]; options?: { rowMode?: 'array' | 'object' }; method?: string; response?: unknown };

const EMBEDDED_POSTGRES_VERSION = '18';

/** knex methods whose command tag is not their name in capitals (`del()` answers a count as on PostgreSQL). */
const COMMAND_OF_METHOD: Record<string, string> = { first: 'SELECT', pluck: 'SELECT', del: 'DELETE', counter: 'UPDATE' };

/**
 * A knex client over the embedded engine (PGlite on its thread): one connection, the engine
 * itself, which the caller opened.
 *
 * @remarks In place of knex-pglite, whose module loads PGlite's whole JavaScript (half a
 * megabyte) on the main thread to open an engine when given none; here one is always given, and
 * that load cost every `pg-cli dev` start 40–60 ms.
 */
export class EmbeddedKnexClient extends PostgresClient {
  readonly engine: EmbeddedEngine;

  constructor(config: Knex.Config & { connection: { engine: EmbeddedEngine } }) {
    // PGlite serves one session: a pool of one, and a transaction holds it (see createDatabase).
    // The version always given, knex never asks the engine for it (`select version()`, a round
    // trip on every start): it reads it only to choose json columns over text (9.2 and later).
    // PGlite 0.5 is PostgreSQL 18 (a test holds the constant to the engine's).
    super({ ...config, version: EMBEDDED_POSTGRES_VERSION, pool: { min: 1, max: 1 } });
    this.engine = config.connection.engine;
  }

  /** knex asks for the driver module at construction; the engine is the driver here. */
  _driver(): object {
    return {};
  }

  async _acquireOnlyConnection(): Promise<EmbeddedEngine> {
    await this.engine.waitReady;
    return this.engine;
  }

  /** The pool ending its one connection is the database closing. */
  async destroyRawConnection(engine: EmbeddedEngine): Promise<void> {
    await engine.close();
  }

  async _query(engine: EmbeddedEngine, query: CompiledQuery): Promise<CompiledQuery> {
    if (!query.sql) throw new Error('The query is empty');
    query.response = await engine.query(query.sql, query.bindings, query.options);
    return query;
  }

  /**
   * knex's PostgreSQL responses carry `rowCount` and the command's tag, which PGlite's results do
   * not: the tag is read off the query's knex method instead.
   */
  processResponse(query: CompiledQuery & { response: Results }, runner: unknown): unknown {
    const command = COMMAND_OF_METHOD[query.method ?? ''] ?? query.method?.toUpperCase() ?? '';
    const response = { ...query.response, rowCount: query.response.affectedRows, command };
    return (PostgresClient.prototype['processResponse'] as (q: unknown, r: unknown) => unknown).call(this, { ...query, response }, runner);
  }
}

/** Whether `db` (a transaction too: a migration gets one) runs on the embedded engine rather than a PostgreSQL server. */
export function runsOnEmbeddedEngine(db: Knex): boolean {
  return db.client instanceof EmbeddedKnexClient;
}

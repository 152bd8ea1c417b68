import { createRequire } from 'node:module';
import knex, { type Knex } from 'knex';
import { EmbeddedKnexClient } from './embedded-knex-client.js';
import { openEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

/** Where the data lives: a PostgreSQL server, or the embedded PGlite engine (on disk or in memory). */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number; acquireTimeoutMs?: number }
  /** `migrated`: a new database starts from the cluster the build migrated (see openEmbeddedPostgres). */
  | { kind: 'pglite'; dataDir: string | 'memory'; migrated?: boolean };

const INT8_OID = 20;

// node-postgres returns int8 (bigint) as a string to avoid precision loss. Our amounts are
// bounded far below 2^53, so parse them here and refuse anything that would lose precision.
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} is outside the safe integer range`);
  return n;
}

/**
 * node-postgres's type parsers with int8 as a number. Loaded on the first PostgreSQL target only:
 * embedded mode (`pg-cli dev`) never loads node-postgres, which took 55–75 ms of every start.
 */
function postgresTypes(): Knex.PgConnectionConfig['types'] {
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const defaultParser = pg.types.getTypeParser as (oid: number, format?: string) => unknown;
  return {
    getTypeParser: (oid: number, format?: string) => (oid === INT8_OID ? parseInt8 : defaultParser(oid, format)),
  } as unknown as Knex.PgConnectionConfig['types'];
}

/**
 * One knex factory for both engines. PGlite has a single connection, so code must pass the
 * transaction (`trx`) down and never use the root `db` inside one (it would wait forever).
 *
 * @param opening  an embedded database already being opened for this target's data dir (see
 *   {@link openEmbeddedPostgres}); without it, a PGlite target is opened here.
 */
export function createDatabase(target: DatabaseTarget, opening?: EmbeddedPostgres): Knex {
  const ours = target.kind === 'pglite' && opening?.dataDir === target.dataDir ? opening : undefined;
  // Opened for another target (DATABASE_URL won, or another data dir): not to be left running.
  if (opening && !ours) void opening.pglite.close().catch(() => undefined);
  if (target.kind === 'postgres') {
    // A request waits at most this long for a connection, then is answered 503 (knex's default,
    // 60 s, outlives any client's patience); each connection attempt is bounded the same way, so
    // a database that accepts but never answers is not waited on forever.
    const acquireTimeoutMs = target.acquireTimeoutMs ?? 10_000;
    return knex({
      client: 'pg',
      connection: { connectionString: target.url, types: postgresTypes(), connectionTimeoutMillis: acquireTimeoutMs } as Knex.PgConnectionConfig,
      pool: { min: 0, max: target.poolSize ?? 10 },
      acquireConnectionTimeout: acquireTimeoutMs,
    });
  }
  const { pglite } = ours ?? openEmbeddedPostgres(target.dataDir, { migrated: target.migrated === true });
  return knex({
    client: EmbeddedKnexClient as unknown as typeof knex.Client,
    dialect: 'postgres',
    connection: { engine: pglite },
  } as Knex.Config);
}

/** Picks the target from configuration: `DATABASE_URL` wins, else the embedded data directory. */
export function databaseTargetFrom(config: {
  databaseUrl: string | undefined;
  dataDir: string;
  databaseAcquireTimeoutMs?: number;
  databasePoolSize?: number;
}): DatabaseTarget {
  return config.databaseUrl
    ? {
        kind: 'postgres',
        url: config.databaseUrl,
        ...(config.databaseAcquireTimeoutMs ? { acquireTimeoutMs: config.databaseAcquireTimeoutMs } : {}),
        ...(config.databasePoolSize ? { poolSize: config.databasePoolSize } : {}),
      }
    : { kind: 'pglite', dataDir: config.dataDir };
}

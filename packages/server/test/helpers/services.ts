import net from 'node:net';
import pg from 'pg';

export const POSTGRES_ADMIN_URL = process.env['PAYGATE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_TEST_URL = process.env['PAYGATE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

/**
 * The Redis database of each suite that empties one (FLUSHDB) or counts its keys. Test files run
 * in parallel: a FLUSHDB in a database another file's gateway uses wipes that file's queue
 * mid-test (its jobs come back only when the relay finds them stale), and the workers of two
 * suites on one database take each other's jobs, for rows their own database lacks. One list, so
 * that two suites cannot end up sharing a database unseen; database 0 is left to the suites that
 * do neither.
 */
export const REDIS_DATABASES = {
  clockSignal: 6,
  splitMode: 7,
  eventsStream: 8,
  productionMode: 9,
  durabilityKill: 10,
  durabilityStop: 11,
  hangingEndpoint: 12,
  eventBus: 13,
  queueDriver: 14,
  splitModeRetries: 15,
} as const;

/** The URL of `suite`'s own Redis database on the test Redis. */
export function redisTestUrl(suite: keyof typeof REDIS_DATABASES): string {
  const url = new URL(REDIS_TEST_URL);
  url.pathname = `/${REDIS_DATABASES[suite]}`;
  return url.toString();
}

const isCI = process.env['CI'] === 'true';

async function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1_000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/**
 * Whether the real services are here. On a laptop without them the suites that need them are
 * skipped, and say so; under CI=true a missing service is a failure, never a skip.
 */
export async function serviceAvailable(kind: 'postgres' | 'redis'): Promise<boolean> {
  const url = new URL(kind === 'postgres' ? POSTGRES_ADMIN_URL : REDIS_TEST_URL);
  const up = await canConnect(url.hostname, Number(url.port || (kind === 'postgres' ? 5432 : 6379)));
  if (!up && isCI) throw new Error(`${kind} is not reachable at ${url.host}, and CI=true forbids skipping: start it (see .ci/run).`);
  if (!up)
    console.warn(`\n[paygate] SKIPPED: ${kind} suites — nothing listens at ${url.host}. Start ${kind} (or docker compose up -d postgres redis) to run them.\n`);
  return up;
}

/** Creates an empty database for one test file; returns its URL and a dropper. */
export async function createTemporaryDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `paygate_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

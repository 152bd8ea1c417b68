// A temporary PostgreSQL database per run on the shared server, and the pids of its backends
// (so that CPU per payment counts our PostgreSQL work and not another engineer's test suite).
import pg from 'pg';

export const ADMIN_URL = process.env.PAYGATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createTempDatabase(prefix = 'paygate_bench') {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    /** pids of the backends connected to this database now */
    async backendPids() {
      const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
      return rows.map((r) => r.pid);
    },
    /** state and wait event of each backend connected to this database now (lib/pg-activity.mjs) */
    async activity() {
      const { rows } = await admin.query('SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = $1', [name]);
      return rows;
    },
    async query(sql, params) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return await client.query(sql, params);
      } finally {
        await client.end();
      }
    },
    async drop(keep = false) {
      if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    },
  };
}

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
  let checkpointsSql; // chosen by the server's version on first use
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
    /**
     * Brings this database to rest before a latency measurement, and says how long that took:
     * waits for autovacuum workers already on it, vacuums it (so that the rows a load just wrote
     * do not start one mid-measurement) and checkpoints (so that the dirty pages it left are not
     * written out mid-measurement). On a slow disk, one in flight right after the open loop ran
     * while the checkpointer wrote out what 60,000 payments had left (docs/performance.md,
     * seventeenth sitting): that measured the load before it, not the path of one payment.
     */
    async quiesce({ timeoutMs = 60_000 } = {}) {
      const started = performance.now();
      const vacuuming = async () =>
        (await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = $1", [name])).rows[0].n;
      while ((await vacuuming()) > 0 && performance.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 200));
      await this.query('VACUUM (ANALYZE)');
      await admin.query('CHECKPOINT');
      return Math.round(performance.now() - started);
    },
    /** checkpoints the server has started so far (timed or requested; PostgreSQL 17 moved them) */
    async checkpoints() {
      checkpointsSql ??=
        Number((await admin.query('SHOW server_version_num')).rows[0].server_version_num) >= 170000
          ? 'SELECT num_timed + num_requested AS n FROM pg_stat_checkpointer'
          : 'SELECT checkpoints_timed + checkpoints_req AS n FROM pg_stat_bgwriter';
      return Number((await admin.query(checkpointsSql)).rows[0].n);
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

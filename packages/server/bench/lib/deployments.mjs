// The two ways Paygate runs, started for a bench: split mode (N pg-cli server + M pg-cli worker
// on PostgreSQL and a private Redis) and embedded mode (one pg-cli dev on PGlite, in-process
// queue). Each knows which pids are its own, for CPU per payment, and the base URL of each of its
// API processes (the load generator spreads requests over them).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createTempDatabase } from './database.mjs';
import { freePort, startCli, startRedis } from './processes.mjs';

/** The environment every gateway a bench starts runs with (micro benches too). */
export const BENCH_ENV = {
  TEST_MODE: 'true',
  TEST_PROCESSING_DELAY: '0',
  PAYGATE_RATE_LIMIT_PER_MINUTE: '0',
  LOG_LEVEL: 'warn',
};

/** Jobs each `pg-cli worker` runs at once unless told otherwise (the bench's `--worker-concurrency`). */
export const WORKER_CONCURRENCY = 50;

export async function startSplit(children, { apiProcesses = 1, workers, workerConcurrency = WORKER_CONCURRENCY, profileDir, keep }) {
  const db = await createTempDatabase();
  const redisUrl = await startRedis(children);
  const redis = children.list.at(-1);
  const env = { ...process.env, ...BENCH_ENV, DATABASE_URL: db.url, REDIS_URL: redisUrl };
  await startCli(children, 'migrate', ['migrate'], { env, ready: null });
  // API processes share the database and the Redis, as they would behind a load balancer; each
  // listens on its own port and the bench itself plays the balancer (api-client.mjs).
  const servers = [];
  const baseUrls = [];
  for (let i = 0; i < apiProcesses; i += 1) {
    const port = await freePort();
    servers.push(await startCli(children, `server${i + 1}`, ['server', '--port', String(port)], { env, profileDir }));
    baseUrls.push(`http://127.0.0.1:${port}`);
  }
  const workerChildren = [];
  for (let i = 0; i < workers; i += 1) {
    workerChildren.push(await startCli(children, `worker${i + 1}`, ['worker', '--concurrency', String(workerConcurrency)], { env, profileDir }));
  }
  const redisPort = new URL(redisUrl).port;
  return {
    mode: 'split',
    baseUrls,
    /** The API processes' pids, in the order of baseUrls. */
    apiPids: servers.map((s) => s.pid),
    apiProcesses,
    workers,
    db,
    /**
     * Work counters that no machine load can move: PostgreSQL transactions committed in this
     * database (each autocommit statement is one), the WAL written (the server's write position:
     * every row and index entry a payment writes is in it), and commands the private Redis executed.
     */
    async counters() {
      const { rows } = await db.query(
        `SELECT xact_commit + xact_rollback AS xacts, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS wal_bytes
           FROM pg_stat_database WHERE datname = current_database()`,
      );
      const info = (section) => spawnSync('redis-cli', ['-p', redisPort, 'info', section], { encoding: 'utf8' }).stdout ?? '';
      const byCommand = Object.fromEntries([...info('commandstats').matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
      return {
        pg_xacts: Number(rows[0].xacts),
        wal_bytes: Number(rows[0].wal_bytes),
        redis_commands: Object.values(byCommand).reduce((a, b) => a + b, 0),
        // Reads from client sockets: one per write a client made, however many commands it
        // pipelined in it. Each is Redis woken, and a system call on either side.
        redis_reads: Number(/total_reads_processed:(\d+)/.exec(info('stats'))?.[1] ?? NaN),
        redis_by_command: byCommand,
      };
    },
    async roles() {
      const roles = new Map([[redis.pid, 'redis']]);
      for (const s of servers) roles.set(s.pid, 'server');
      for (const w of workerChildren) roles.set(w.pid, 'workers');
      for (const pid of await db.backendPids()) roles.set(pid, 'postgres');
      return roles;
    },
    async stop() {
      for (const c of [...servers, ...workerChildren, redis]) await children.stop(c);
      await db.drop(keep);
    },
  };
}

export async function startEmbedded(children, { profileDir }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'paygate-bench-dev-'));
  const port = await freePort();
  const env = { ...process.env, ...BENCH_ENV };
  const dev = await startCli(children, 'dev', ['dev', '--test-mode', '--port', String(port), '--data-dir', dataDir], { env, profileDir });
  return {
    mode: 'embedded',
    baseUrls: [`http://127.0.0.1:${port}`],
    roles: async () => new Map([[dev.pid, 'dev']]),
    async stop() {
      await children.stop(dev);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

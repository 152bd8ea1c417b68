// The two ways Paygate runs, started for a bench: split mode (pg-cli server + N pg-cli worker on
// PostgreSQL and a private Redis) and embedded mode (one pg-cli dev on PGlite, in-process queue).
// Each knows which pids are its own, for CPU per payment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createTempDatabase } from './database.mjs';
import { freePort, startCli, startRedis } from './processes.mjs';

const BENCH_ENV = {
  TEST_MODE: 'true',
  TEST_PROCESSING_DELAY: '0',
  PAYGATE_RATE_LIMIT_PER_MINUTE: '0',
  LOG_LEVEL: 'warn',
};

export async function startSplit(children, { workers, workerConcurrency, profileDir, keep }) {
  const db = await createTempDatabase();
  const redisUrl = await startRedis(children);
  const redis = children.list.at(-1);
  const env = { ...process.env, ...BENCH_ENV, DATABASE_URL: db.url, REDIS_URL: redisUrl };
  await startCli(children, 'migrate', ['migrate'], { env, ready: null });
  const port = await freePort();
  const server = await startCli(children, 'server', ['server', '--port', String(port)], { env, profileDir });
  const workerChildren = [];
  for (let i = 0; i < workers; i += 1) {
    workerChildren.push(await startCli(children, `worker${i + 1}`, ['worker', '--concurrency', String(workerConcurrency)], { env, profileDir }));
  }
  const redisPort = new URL(redisUrl).port;
  return {
    mode: 'split',
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    /**
     * Work counters that no machine load can move: PostgreSQL transactions committed in this
     * database (each autocommit statement is one) and commands the private Redis executed.
     */
    async counters() {
      const { rows } = await db.query('SELECT xact_commit + xact_rollback AS xacts FROM pg_stat_database WHERE datname = current_database()');
      const info = spawnSync('redis-cli', ['-p', redisPort, 'info', 'commandstats'], { encoding: 'utf8' }).stdout ?? '';
      const byCommand = Object.fromEntries([...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
      return { pg_xacts: Number(rows[0].xacts), redis_commands: Object.values(byCommand).reduce((a, b) => a + b, 0), redis_by_command: byCommand };
    },
    async roles() {
      const roles = new Map([
        [server.pid, 'server'],
        [redis.pid, 'redis'],
      ]);
      for (const w of workerChildren) roles.set(w.pid, 'workers');
      for (const pid of await db.backendPids()) roles.set(pid, 'postgres');
      return roles;
    },
    async stop() {
      for (const c of [server, ...workerChildren, redis]) await children.stop(c);
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
    baseUrl: `http://127.0.0.1:${port}`,
    roles: async () => new Map([[dev.pid, 'dev']]),
    async stop() {
      await children.stop(dev);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

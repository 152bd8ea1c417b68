import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { setClientErrorStacks } from '@paygate/core';
import { buildApp } from './transports/app.js';
import { createSystemClock, createTestClock } from './adapters/clock/clock.js';
import type { ClockMoveSignal, TestClock } from './ports/clock.js';
import { ConfigError, type GatewayConfig } from './config.js';
import { createDatabase, databaseTargetFrom } from './adapters/db/create-database.js';
import type { EmbeddedPostgres } from './adapters/db/embedded-postgres.js';
import { classifyDatabaseError } from './adapters/db/database-errors.js';
import { migrateToLatest, pendingMigrations } from './adapters/db/migration-source.js';
import { keepPaymentPathPlanned } from './adapters/db/payment-path-plans.js';
import { createPaymentStore } from './adapters/db/payment-store.js';
import { createInProcessEventBus } from './adapters/events/in-process-event-bus.js';
import type { EventBus } from './ports/event-bus.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import type { JobQueue } from './ports/job-queue.js';
import { createInProcessQueue } from './adapters/queue/in-process.js';
import type { ServiceDeps } from './services/service-deps.js';
import { createMerchantAuthenticator, seedTestMerchant } from './services/merchants.js';
import { within } from './lib/within.js';
import { createHttpSender } from './adapters/webhook-sender/http-sender.js';
import { createWebhookTargets } from './adapters/webhook-sender/webhook-target.js';
import { runWorkers, type RunningWorkers } from './workers/run-workers.js';
import { createRelay, type Relay } from './services/relay.js';
import { createLateHandoff } from './services/delivery/late-handoff.js';

/** A Redis QUIT that takes longer than this is given up for a disconnect. */
const REDIS_QUIT_MS = 500;
/** Time each release step (queue, event bus, database pool) gets once the grace period is used. */
const CLEANUP_MS = 1_000;
/** What the workers' own stop may take past its timeout (the queue's close, removing the heartbeat). */
const WORKER_STOP_SLACK_MS = 500;

/** `all`: API + workers in one process (`pg-cli dev`); `api` (`pg-cli server`); `worker`. */
export type GatewayRole = 'all' | 'api' | 'worker';

export type Gateway = {
  config: GatewayConfig;
  deps: ServiceDeps;
  app: FastifyInstance | undefined;
  workers: RunningWorkers | undefined;
  /** The listening URL (roles `all` and `api`). */
  url: string | undefined;
  testClock: TestClock | undefined;
  /** Graceful stop: stop accepting, finish what runs (up to the grace period), release everything. */
  stop(): Promise<void>;
};

async function migrateWithLockRetry(db: Knex, log: Logger): Promise<void> {
  // Up to date is the common case, and two reads tell it: no lock, no knex migrator (which was a
  // third of a warm `pg-cli dev` start on PGlite).
  if ((await pendingMigrations(db)).length === 0) return;
  // Several processes may start at once on one database; knex's migration lock lets one run and
  // makes the others fail fast, so they wait for it and check again.
  for (let attempt = 0; ; attempt += 1) {
    try {
      const ran = await migrateToLatest(db);
      if (ran.length > 0) log.info({ migrations: ran }, 'database migrated');
      return;
    } catch (error) {
      if (attempt >= 60 || !/locked/i.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * With PAYGATE_MIGRATE_ON_START=false this process never takes the migrators' lock nor runs DDL
 * (a transaction-mode pooler cannot carry a session lock): it only checks that `pg-cli migrate`
 * has already brought the schema up to date, since code on an older schema fails mid-request
 * (and only finds the payment path's functions that `pg-cli migrate` created).
 */
async function requireMigrated(db: Knex): Promise<void> {
  const missing = await pendingMigrations(db);
  if (missing.length === 0) return;
  throw new ConfigError([
    `PAYGATE_MIGRATE_ON_START=false: the database lacks ${missing.length} migration(s) (${missing.join(', ')}), and this process does not migrate. ` +
      'Run `pg-cli migrate` against a direct connection first (not through a transaction-mode pooler), then start it again.',
  ]);
}

/**
 * Stops accepting and lets in-flight requests finish. A keep-alive connection whose request
 * finishes after close() began would otherwise stay open until its keep-alive timeout (72 s),
 * holding the process: close such connections as soon as they go idle, and all of them once
 * the grace period is over.
 */
async function closeHttp(app: FastifyInstance, graceMs: number): Promise<void> {
  const idle = setInterval(() => app.server.closeIdleConnections(), 100);
  const force = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(idle);
    clearTimeout(force);
  }
}

type Cleanup = () => Promise<unknown>;

/**
 * The Redis list queue and pub/sub when REDIS_URL is set, else the in-process queue and bus. The
 * Redis adapters are loaded only here, when used: ioredis is a share of `pg-cli dev`'s start for
 * nothing.
 */
async function pickQueueAndBus(config: GatewayConfig, role: GatewayRole, log: Logger, cleanups: Cleanup[]) {
  if (!config.redisUrl) {
    const queue: JobQueue = createInProcessQueue({ onError: (q, ids, err) => log.error({ err, queue: q, ids }, 'job failed') });
    const eventBus: EventBus = createInProcessEventBus();
    return { queue, eventBus, redis: undefined, clockSignal: undefined };
  }
  const [{ createRedisConnection }, { createRedisListQueue }, { createRedisEventBus }, { createRedisClockSignal }] = await Promise.all([
    import('./adapters/redis/redis-connection.js'),
    import('./adapters/queue/redis-list-queue.js'),
    import('./adapters/events/redis-event-bus.js'),
    import('./adapters/clock/redis-clock-signal.js'),
  ]);
  const redis = createRedisConnection(config.redisUrl, { log });
  // QUIT waits for a Redis that may be gone: give it a moment, then drop the socket.
  cleanups.push(async () => {
    if (!(await within(redis.quit(), REDIS_QUIT_MS))) redis.disconnect();
  });
  const queue: JobQueue = createRedisListQueue({ redisUrl: config.redisUrl, isWorker: role !== 'api', redis, log, consumers: config.queueConsumers });
  const eventBus: EventBus = createRedisEventBus({ redisUrl: config.redisUrl, publisher: redis, log });
  // Test mode's clock moves, announced to the other processes on this Redis (see clock.ts).
  const clockSignal: ClockMoveSignal | undefined = config.testMode ? createRedisClockSignal({ redisUrl: config.redisUrl, publisher: redis, log }) : undefined;
  if (clockSignal) cleanups.push(() => clockSignal.close());
  return { queue, eventBus, redis, clockSignal };
}

/** The HTTP app on the services, not listening yet. */
function buildHttpApp(
  deps: ServiceDeps,
  extra: { testClock: TestClock | undefined; relay: Relay | undefined; redis: Redis | undefined },
): Promise<FastifyInstance> {
  return buildApp(
    {
      ...deps,
      authenticator: createMerchantAuthenticator(deps, { resetEpoch: extra.testClock?.resetEpoch }),
      classifyError: classifyDatabaseError,
      testClock: extra.testClock,
      relay: extra.relay,
    },
    { logger: deps.log, redis: extra.redis },
  );
}

/** Listens where the configuration says; the URL it serves at (the port the system chose, for port 0). */
async function listen(app: FastifyInstance, config: GatewayConfig): Promise<string> {
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
}

/**
 * 1. Stop accepting; in-flight requests finish. 2. Workers finish their jobs (or hand them back:
 * the relay requeues them). 3. Release connections, last the database. The grace period bounds
 * all of it, even with Redis or PostgreSQL gone: a call to a dependency that does not answer is
 * abandoned, never waited on (its work comes back through the relay).
 */
async function stopAll(
  parts: { app: FastifyInstance | undefined; workers: RunningWorkers | undefined; cleanups: Cleanup[] },
  graceMs: number,
  log: Logger,
): Promise<void> {
  const deadline = Date.now() + graceMs;
  const left = () => Math.max(0, deadline - Date.now());
  if (parts.app) await closeHttp(parts.app, graceMs);
  if (parts.workers && !(await within(parts.workers.stop(left()), left() + WORKER_STOP_SLACK_MS)))
    log.warn('workers did not stop within the grace period; left to the relay');
  for (const cleanup of parts.cleanups.slice().reverse()) {
    const done = cleanup().catch((err: unknown) => log.warn({ err }, 'cleanup failed'));
    if (!(await within(done, CLEANUP_MS))) log.warn('a cleanup step did not finish in time; skipped');
  }
}

/**
 * The composition root: picks the adapters from the configuration (PGlite or PostgreSQL,
 * in-process queue or a Redis list queue, real or test clock), wires services, HTTP and workers,
 * and starts what the role asks for.
 */
export async function startGateway(
  config: GatewayConfig,
  options: {
    role: GatewayRole;
    logger?: Logger;
    listen?: boolean;
    /** The embedded database, already being opened for `config.dataDir` (`pg-cli dev` starts it before loading the gateway). */
    embedded?: EmbeddedPostgres;
  } = { role: 'all' },
): Promise<Gateway> {
  const log = options.logger ?? createLogger(config.logLevel);
  if (options.role !== 'worker' && !config.idempotencyFingerprintKey) {
    // Without it, request fingerprints would have to be plain hashes a card number can be
    // brute-forced from; a worker never fingerprints anything and does not need it.
    void options.embedded?.pglite.close().catch(() => undefined);
    throw new ConfigError([
      'PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY: required in production to serve the API (at least 32 random characters, the same in every API process; see .env.example)',
    ]);
  }
  const target = databaseTargetFrom(config);
  // A gateway that migrates on start would bring a new embedded database to this build's schema
  // anyway: it may start from the cluster the build migrated.
  const db = createDatabase(target.kind === 'pglite' ? { ...target, migrated: config.migrateOnStart } : target, options.embedded);
  const cleanups: Cleanup[] = [() => db.destroy()];
  let app: FastifyInstance | undefined;
  try {
    // The first statement waits for the database to open (PGlite: 0.4–0.6 s on its own thread;
    // PostgreSQL: a connection), and this thread builds the HTTP app meanwhile. Awaited below;
    // until then its failure must not count as unhandled.
    const schemaChecked = config.migrateOnStart ? migrateWithLockRetry(db, log) : requireMigrated(db);
    schemaChecked.catch(() => undefined);
    const { queue, eventBus, redis, clockSignal } = await pickQueueAndBus(config, options.role, log, cleanups);
    // PGlite is this process's alone: nobody else moves its clock, so it is never read again.
    // Processes that share a Redis announce their moves on it; others poll the row.
    const testClock = config.testMode ? createTestClock(db, target.kind === 'pglite' ? { refreshMs: 0 } : { signal: clockSignal }) : undefined;
    if (testClock) cleanups.push(async () => testClock.stop());
    const clock = testClock ?? createSystemClock();
    const httpSender = createHttpSender({ allowPrivateTargets: config.allowPrivateWebhookTargets });
    cleanups.push(
      () => eventBus.close(),
      () => httpSender.close(),
      () => queue.close(config.shutdownGraceMs),
    );

    const metrics = createMetrics();
    const paymentStore = createPaymentStore({ db, metrics });
    const deps: ServiceDeps = {
      db,
      paymentStore,
      clock,
      queue,
      eventBus,
      httpSender,
      webhookTargets: createWebhookTargets(),
      metrics,
      config,
      random: Math.random,
      log,
    };
    const relay = options.role === 'api' ? undefined : createRelay(deps);
    // Role `all`: the API's new payments write their deliveries leased to this process's
    // dispatcher, which sends them at once (no delivery job, no claim); bound once the workers run.
    const apiHandoff = options.role === 'all' ? createLateHandoff() : undefined;
    // An API answers client errors by the thousand and never reads their stacks (see PaygateError).
    if (options.role !== 'worker') setClientErrorStacks(false);
    app = options.role === 'worker' ? undefined : await buildHttpApp({ ...deps, deliveries: apiHandoff }, { testClock, relay, redis });

    await schemaChecked;
    await testClock?.start();
    if (config.seedTestMerchant) await seedTestMerchant(deps);
    // Not awaited: the first statements on the payment path wait for it instead of the start. A
    // process that runs no DDL only finds the functions `pg-cli migrate` created. After the seed:
    // PGlite runs one statement at a time, and its lookup delayed the seed by 18–32 ms.
    void keepPaymentPathPlanned(db, { create: config.migrateOnStart, warn: (message) => log.warn(message) });
    const workers = options.role === 'api' ? undefined : runWorkers(deps, { concurrency: config.workerConcurrency, relay, testClock });
    if (workers) apiHandoff?.bind(workers.deliveries);
    await queue.ready();
    let url: string | undefined;
    if (app && options.listen !== false) url = await listen(app, config);
    else await app?.ready();

    let stopping: Promise<void> | undefined;
    return {
      config,
      deps,
      app,
      workers,
      url,
      testClock,
      stop: () => (stopping ??= stopAll({ app, workers, cleanups }, config.shutdownGraceMs, log)),
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    for (const cleanup of cleanups.slice().reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}

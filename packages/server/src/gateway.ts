import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { buildApp } from './transports/app.js';
import { createSystemClock, createTestClock } from './adapters/clock/clock.js';
import type { Clock, TestClock } from './ports/clock.js';
import { ConfigError, type GatewayConfig } from './config.js';
import { createDatabase, databaseTargetFrom } from './adapters/db/create-database.js';
import { classifyDatabaseError } from './adapters/db/database-errors.js';
import { migrateToLatest } from './adapters/db/migration-source.js';
import { createPaymentStore } from './adapters/db/payment-store.js';
import { createInProcessEventBus } from './adapters/events/in-process-event-bus.js';
import type { EventBus } from './ports/event-bus.js';
import { createRedisEventBus } from './adapters/events/redis-event-bus.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import type { JobQueue } from './ports/job-queue.js';
import { createBeeQueue } from './adapters/queue/bee-queue.js';
import { createInProcessQueue } from './adapters/queue/in-process.js';
import { createRedisConnection } from './adapters/redis/redis-connection.js';
import type { ServiceDeps } from './services/service-deps.js';
import { createMerchantAuthenticator, seedTestMerchant } from './services/merchants.js';
import { within } from './lib/within.js';
import { createHttpSender } from './adapters/webhook-sender/http-sender.js';
import { createWebhookTargets } from './adapters/webhook-sender/webhook-target.js';
import { runWorkers, type RunningWorkers } from './workers/run-workers.js';

/** A Redis QUIT that takes longer than this is given up for a disconnect. */
const REDIS_QUIT_MS = 500;
/** Time each release step (queue, event bus, database pool) gets once the grace period is used. */
const CLEANUP_MS = 1_000;
/** What the workers' own stop may take past its timeout (bee-queue's close, removing the heartbeat). */
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

/**
 * The composition root: picks the adapters from the configuration (PGlite or PostgreSQL,
 * in-process queue or bee-queue on Redis, real or test clock), wires services, HTTP and workers,
 * and starts what the role asks for.
 */
export async function startGateway(
  config: GatewayConfig,
  options: { role: GatewayRole; logger?: Logger; listen?: boolean } = { role: 'all' },
): Promise<Gateway> {
  const log = options.logger ?? createLogger(config.logLevel);
  if (options.role !== 'worker' && !config.idempotencyFingerprintKey) {
    // Without it, request fingerprints would have to be plain hashes a card number can be
    // brute-forced from; a worker never fingerprints anything and does not need it.
    throw new ConfigError(['PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY: required in production to serve the API (at least 32 random characters, the same in every API process; see .env.example)']);
  }
  const db = createDatabase(databaseTargetFrom(config));
  const cleanups: Array<() => Promise<unknown>> = [() => db.destroy()];
  try {
    await migrateWithLockRetry(db, log);

    let testClock: TestClock | undefined;
    let clock: Clock = createSystemClock();
    if (config.testMode) {
      testClock = await createTestClock(db);
      clock = testClock;
      cleanups.push(async () => testClock!.stop());
    }

    let queue: JobQueue;
    let eventBus: EventBus;
    const redis = config.redisUrl ? createRedisConnection(config.redisUrl, { log }) : undefined;
    if (config.redisUrl && redis) {
      // QUIT waits for a Redis that may be gone: give it a moment, then drop the socket.
      cleanups.push(async () => {
        if (!(await within(redis.quit(), REDIS_QUIT_MS))) redis.disconnect();
      });
      queue = createBeeQueue({ redisUrl: config.redisUrl, isWorker: options.role !== 'api', redis, log, consumers: config.queueConsumers });
      eventBus = createRedisEventBus({ redisUrl: config.redisUrl, publisher: redis, log });
    } else {
      queue = createInProcessQueue({ onError: (q, ids, err) => log.error({ err, queue: q, ids }, 'job failed') });
      eventBus = createInProcessEventBus();
    }
    const httpSender = createHttpSender({ allowPrivateTargets: config.allowPrivateWebhookTargets });
    cleanups.push(() => eventBus.close(), () => httpSender.close(), () => queue.close(config.shutdownGraceMs));

    const metrics = createMetrics();
    const paymentStore = createPaymentStore({ db, metrics });
    const deps: ServiceDeps = { db, paymentStore, clock, queue, eventBus, httpSender, webhookTargets: createWebhookTargets(), metrics, config, random: Math.random, log };
    if (config.seedTestMerchant) await seedTestMerchant(deps);

    const workers = options.role === 'api' ? undefined : runWorkers(deps, { concurrency: config.workerConcurrency });
    await queue.ready();
    let app: FastifyInstance | undefined;
    let url: string | undefined;
    if (options.role !== 'worker') {
      app = await buildApp(
        {
          ...deps,
          authenticator: createMerchantAuthenticator(deps, { resetEpoch: testClock?.resetEpoch }),
          classifyError: classifyDatabaseError,
          testClock,
          relay: workers?.relay,
        },
        { logger: log, redis },
      );
      if (options.listen !== false) {
        await app.listen({ host: config.host, port: config.port });
        const address = app.server.address();
        const port = typeof address === 'object' && address ? address.port : config.port;
        url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      } else {
        await app.ready();
      }
    }

    let stopping: Promise<void> | undefined;
    return {
      config,
      deps,
      app,
      workers,
      url,
      testClock,
      stop() {
        stopping ??= (async () => {
          // 1. Stop accepting; in-flight requests finish. 2. Workers finish their jobs (or hand
          // them back: the relay requeues them). 3. Release connections, last the database.
          // The grace period bounds all of it, even with Redis or PostgreSQL gone: a call to a
          // dependency that does not answer is abandoned, never waited on (its work comes back
          // through the relay).
          const deadline = Date.now() + config.shutdownGraceMs;
          const left = () => Math.max(0, deadline - Date.now());
          if (app) await closeHttp(app, config.shutdownGraceMs);
          if (workers && !(await within(workers.stop(left()), left() + WORKER_STOP_SLACK_MS))) log.warn('workers did not stop within the grace period; left to the relay');
          for (const cleanup of cleanups.slice().reverse()) {
            const done = cleanup().catch((err: unknown) => log.warn({ err }, 'cleanup failed'));
            if (!(await within(done, CLEANUP_MS))) log.warn('a cleanup step did not finish in time; skipped');
          }
        })();
        return stopping;
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.slice().reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}

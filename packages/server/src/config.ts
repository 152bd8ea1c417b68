import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Settings for one Paygate process, parsed once from the environment (or flags) and frozen.
 * Nothing else in the server reads `process.env`; every part receives what it needs from here.
 * Every variable is documented in `.env.example` at the repository root.
 */
export type GatewayConfig = Readonly<{
  /**
   * `development` allows private webhook targets and seeds the test merchant; `production` does
   * neither. Production unless `PAYGATE_ENV=development`, test mode, or `pg-cli dev` says otherwise.
   */
  environment: 'development' | 'production';
  host: string;
  port: number;
  /** PostgreSQL connection string; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Folder for the embedded database, or `memory` for a throwaway in-memory one. */
  dataDir: string;
  /**
   * Longest a request waits for a PostgreSQL connection (pool busy, or the database not
   * answering) before it is answered 503 SERVICE_UNAVAILABLE_ERROR with Retry-After.
   */
  databaseAcquireTimeoutMs: number;
  /**
   * Most PostgreSQL connections this process opens (its knex pool). Every API and worker
   * process has its own pool: N processes can hold N × this many connections (docs/deploy.md).
   */
  databasePoolSize: number;
  /**
   * Whether `server` and `worker` bring the schema up to date at start (under a session-level
   * advisory lock). When false they only check, with plain reads, that the database is at the
   * latest migration and refuse to start otherwise: `pg-cli migrate` on a direct connection does
   * the migrating, and the processes can then sit behind a transaction-mode pooler (docs/deploy.md).
   */
  migrateOnStart: boolean;
  /** Redis connection string; when absent jobs run on the in-process queue. */
  redisUrl: string | undefined;
  testMode: boolean;
  testProcessingDelayMs: number;
  /** `undefined` when TEST_PAYMENT_SUCCESS is unset: payments succeed in test mode unless it is `false`. */
  testPaymentSuccess: boolean | undefined;
  webhookRetryIntervalsTest: boolean;
  webhookTimeoutMs: number;
  /** Webhook attempts in flight at once per merchant endpoint, in each worker process. */
  webhookEndpointConcurrency: number;
  webhookRetryJitter: number;
  allowPrivateWebhookTargets: boolean;
  secretRotationGraceSeconds: number;
  bodyLimitBytes: number;
  /**
   * Requests per minute per merchant (after authentication; per address for requests without
   * valid credentials), on REST and tRPC alike; 0 disables the limit.
   */
  rateLimitPerMinute: number;
  /**
   * Whose `X-Forwarded-For` to believe for the client's address (what requests without valid
   * credentials are rate limited by): false (the TCP peer is the client), or the proxies'
   * addresses and CIDR ranges.
   */
  trustProxy: TrustProxy;
  /**
   * HMAC key of the Idempotency-Key request fingerprints (a card number must not be
   * brute-forceable from a database dump). The same in every API process; never in the database.
   * `undefined` in production when unset: an API process then refuses to start.
   */
  idempotencyFingerprintKey: string | undefined;
  /** The key before the last rotation: fingerprints made with it still match for their 24 h. */
  idempotencyFingerprintPreviousKey: string | undefined;
  /** Event streams one merchant may hold open at once on one API process; 0 means no cap. */
  maxStreamsPerMerchant: number;
  workerConcurrency: number;
  /** Blocking Redis connections taking jobs from each queue in a worker process (parallel job fetches). */
  queueConsumers: number;
  relayIntervalMs: number;
  /** A queued job untouched for this long (real time) is presumed lost and queued again. */
  relayStaleMs: number;
  shutdownGraceMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  seedTestMerchant: boolean;
  /** What worker processes prune (`services/retention.ts`), and how often (`workers/retention.ts`). */
  retention: RetentionConfig;
}>;

/**
 * Retention of finished data. Event and attempt ages are on the gateway clock (test mode can
 * advance it); heartbeats are real time. A day count of 0 keeps that data for ever.
 */
export type RetentionConfig = Readonly<{
  /** How often each worker process prunes. */
  intervalMs: number;
  /** Events older than this go, with their finished delivery and its attempts. */
  eventDays: number;
  /** Attempts of a delivery finished longer ago than this go (the delivery stays with its event). */
  attemptDays: number;
  /** A worker heartbeat not refreshed for this long belongs to a dead worker and goes. */
  heartbeatSeconds: number;
  /** Rows per DELETE, so that no statement holds locks for long. */
  batchSize: number;
}>;

const boolean = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');
const integer = (min: number, max: number) => z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(min).max(max);

/**
 * `PAYGATE_TRUST_PROXY`: `false`, or the proxies' addresses and CIDR ranges. Not `true` nor a hop
 * count: those believe whatever `X-Forwarded-For` a client sends through the proxy (Fastify no
 * longer accepts hop counts for that reason).
 */
export type TrustProxy = false | string[];

const trustProxy = z.string().transform((value, ctx): TrustProxy => {
  const v = value.trim();
  if (v === 'false') return false;
  const entries = v.split(',').map((part) => part.trim());
  const bad = entries.filter((entry) => {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    return family === 0 || rest.length > 0 || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits));
  });
  if (bad.length > 0) {
    ctx.addIssue({ code: 'custom', message: `must be false or the proxies' addresses or CIDR ranges, separated by commas (not ${bad.join(', ')})` });
    return z.NEVER;
  }
  return entries;
});

const ENV_SCHEMA = z.object({
  PAYGATE_ENV: z.enum(['development', 'production'], { error: 'must be development or production' }).optional(),
  HOST: z.string().min(1).optional(),
  PAYGATE_HOST: z.string().min(1).optional(),
  PORT: integer(0, 65535).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  PAYGATE_DATABASE_ACQUIRE_TIMEOUT_MS: integer(100, 600_000).optional(),
  PAYGATE_DATABASE_POOL_SIZE: integer(2, 1_000).optional(),
  PAYGATE_DATA_DIR: z.string().min(1).optional(),
  PAYGATE_MIGRATE_ON_START: boolean.optional(),
  REDIS_URL: z.string().min(1).optional(),
  TEST_MODE: boolean.optional(),
  TEST_PROCESSING_DELAY: integer(0, 600_000).optional(),
  TEST_PAYMENT_SUCCESS: boolean.optional(),
  WEBHOOK_RETRY_INTERVALS_TEST: boolean.optional(),
  PAYGATE_WEBHOOK_TIMEOUT_MS: integer(100, 60_000).optional(),
  PAYGATE_WEBHOOK_ENDPOINT_CONCURRENCY: integer(1, 1_000).optional(),
  PAYGATE_WEBHOOK_RETRY_JITTER: z.coerce.number().min(0).max(1).optional(),
  PAYGATE_ALLOW_PRIVATE_WEBHOOK_TARGETS: boolean.optional(),
  PAYGATE_SECRET_ROTATION_GRACE_SECONDS: integer(0, 30 * 86_400).optional(),
  PAYGATE_BODY_LIMIT_BYTES: integer(1_024, 10_485_760).optional(),
  PAYGATE_RATE_LIMIT_PER_MINUTE: integer(0, 10_000_000).optional(),
  PAYGATE_TRUST_PROXY: trustProxy.optional(),
  PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
  PAYGATE_IDEMPOTENCY_FINGERPRINT_PREVIOUS_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  PAYGATE_MAX_STREAMS_PER_MERCHANT: integer(0, 10_000).optional(),
  PAYGATE_WORKER_CONCURRENCY: integer(1, 1_000).optional(),
  PAYGATE_QUEUE_CONSUMERS: integer(1, 16).optional(),
  PAYGATE_RELAY_INTERVAL_MS: integer(50, 60_000).optional(),
  PAYGATE_RELAY_STALE_MS: integer(500, 3_600_000).optional(),
  PAYGATE_SHUTDOWN_GRACE_MS: integer(0, 600_000).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  // Retention (services/retention.ts, scheduled by workers/retention.ts)
  PAYGATE_RETENTION_INTERVAL_MS: integer(1_000, 86_400_000).optional(),
  PAYGATE_EVENT_RETENTION_DAYS: integer(0, 3_650).optional(),
  PAYGATE_ATTEMPT_RETENTION_DAYS: integer(0, 3_650).optional(),
  PAYGATE_HEARTBEAT_RETENTION_SECONDS: integer(60, 30 * 86_400).optional(),
  PAYGATE_RETENTION_BATCH_SIZE: integer(1, 100_000).optional(),
});

/**
 * The fingerprint key of development and test mode: public, so it protects nothing; production
 * must set its own (see .env.example).
 */
export const DEVELOPMENT_FINGERPRINT_KEY = 'paygate-development-fingerprint-key-not-a-secret';

/** Values given on the command line; they win over the environment. */
export type ConfigOverrides = Partial<{ -readonly [K in keyof GatewayConfig]: GatewayConfig[K] }>;

/** A configuration problem, listing every bad variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from `env` (default `process.env`), applies `overrides`, validates,
 * and returns a frozen object. Throws {@link ConfigError} naming every bad variable.
 */
export function loadConfig(overrides: ConfigOverrides = {}, env: Record<string, string | undefined> = process.env): GatewayConfig {
  // Empty strings mean "unset" (docker-compose and shells produce them freely).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ENV_SCHEMA.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const testMode = overrides.testMode ?? e.TEST_MODE ?? false;
  // Safe by default: forgetting a variable must never seed public credentials or open the test
  // routes. NODE_ENV is deliberately not read: a shell or image that sets NODE_ENV=development
  // must not turn a real deployment into a development one.
  const explicitEnvironment = overrides.environment ?? e.PAYGATE_ENV;
  if (explicitEnvironment === 'production' && testMode) {
    throw new ConfigError([
      'PAYGATE_ENV=production cannot be combined with test mode (--test-mode or TEST_MODE=true): test mode seeds a merchant ' +
        'with public credentials, serves /api/v1/test/* (reset, clock) and allows private webhook targets. ' +
        'Drop --test-mode and TEST_MODE for production, or unset PAYGATE_ENV for a test gateway.',
    ]);
  }
  const environment = explicitEnvironment ?? (testMode ? 'development' : 'production');
  const config: GatewayConfig = {
    environment,
    host: overrides.host ?? e.PAYGATE_HOST ?? e.HOST ?? '127.0.0.1',
    port: overrides.port ?? e.PORT ?? 8000,
    databaseUrl: overrides.databaseUrl ?? e.DATABASE_URL,
    dataDir: overrides.dataDir ?? e.PAYGATE_DATA_DIR ?? '.paygate',
    databaseAcquireTimeoutMs: overrides.databaseAcquireTimeoutMs ?? e.PAYGATE_DATABASE_ACQUIRE_TIMEOUT_MS ?? 10_000,
    databasePoolSize: overrides.databasePoolSize ?? e.PAYGATE_DATABASE_POOL_SIZE ?? 10,
    migrateOnStart: overrides.migrateOnStart ?? e.PAYGATE_MIGRATE_ON_START ?? true,
    redisUrl: overrides.redisUrl ?? e.REDIS_URL,
    testMode,
    testProcessingDelayMs: overrides.testProcessingDelayMs ?? e.TEST_PROCESSING_DELAY ?? 1_000,
    testPaymentSuccess: overrides.testPaymentSuccess ?? e.TEST_PAYMENT_SUCCESS,
    webhookRetryIntervalsTest: overrides.webhookRetryIntervalsTest ?? e.WEBHOOK_RETRY_INTERVALS_TEST ?? false,
    webhookTimeoutMs: overrides.webhookTimeoutMs ?? e.PAYGATE_WEBHOOK_TIMEOUT_MS ?? 10_000,
    webhookEndpointConcurrency: overrides.webhookEndpointConcurrency ?? e.PAYGATE_WEBHOOK_ENDPOINT_CONCURRENCY ?? 64,
    webhookRetryJitter: overrides.webhookRetryJitter ?? e.PAYGATE_WEBHOOK_RETRY_JITTER ?? 0,
    allowPrivateWebhookTargets: overrides.allowPrivateWebhookTargets ?? e.PAYGATE_ALLOW_PRIVATE_WEBHOOK_TARGETS ?? (environment === 'development' || testMode),
    secretRotationGraceSeconds: overrides.secretRotationGraceSeconds ?? e.PAYGATE_SECRET_ROTATION_GRACE_SECONDS ?? 86_400,
    bodyLimitBytes: overrides.bodyLimitBytes ?? e.PAYGATE_BODY_LIMIT_BYTES ?? 102_400,
    rateLimitPerMinute: overrides.rateLimitPerMinute ?? e.PAYGATE_RATE_LIMIT_PER_MINUTE ?? 6_000,
    trustProxy: overrides.trustProxy ?? e.PAYGATE_TRUST_PROXY ?? false,
    idempotencyFingerprintKey:
      overrides.idempotencyFingerprintKey ??
      e.PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY ??
      (environment === 'development' || testMode ? DEVELOPMENT_FINGERPRINT_KEY : undefined),
    idempotencyFingerprintPreviousKey: overrides.idempotencyFingerprintPreviousKey ?? e.PAYGATE_IDEMPOTENCY_FINGERPRINT_PREVIOUS_KEY,
    maxStreamsPerMerchant: overrides.maxStreamsPerMerchant ?? e.PAYGATE_MAX_STREAMS_PER_MERCHANT ?? 10,
    workerConcurrency: overrides.workerConcurrency ?? e.PAYGATE_WORKER_CONCURRENCY ?? 50,
    queueConsumers: overrides.queueConsumers ?? e.PAYGATE_QUEUE_CONSUMERS ?? 3,
    relayIntervalMs: overrides.relayIntervalMs ?? e.PAYGATE_RELAY_INTERVAL_MS ?? 500,
    relayStaleMs: overrides.relayStaleMs ?? e.PAYGATE_RELAY_STALE_MS ?? 30_000,
    shutdownGraceMs: overrides.shutdownGraceMs ?? e.PAYGATE_SHUTDOWN_GRACE_MS ?? 15_000,
    logLevel: overrides.logLevel ?? e.LOG_LEVEL ?? 'info',
    seedTestMerchant: overrides.seedTestMerchant ?? (environment === 'development' || testMode),
    retention: overrides.retention ?? retentionFrom(e),
  };
  return Object.freeze(config);
}

/** Defaults after Stripe (events kept 30 days); a dead worker's heartbeat is kept an hour. */
function retentionFrom(e: z.infer<typeof ENV_SCHEMA>): RetentionConfig {
  const eventDays = e.PAYGATE_EVENT_RETENTION_DAYS ?? 30;
  const retention: RetentionConfig = {
    intervalMs: e.PAYGATE_RETENTION_INTERVAL_MS ?? 3_600_000,
    eventDays,
    attemptDays: e.PAYGATE_ATTEMPT_RETENTION_DAYS ?? eventDays,
    heartbeatSeconds: e.PAYGATE_HEARTBEAT_RETENTION_SECONDS ?? 3_600,
    batchSize: e.PAYGATE_RETENTION_BATCH_SIZE ?? 1_000,
  };
  // A delivery and its attempts are removed with their event (webhook_logs.event_id cascades).
  if (retention.eventDays > 0 && (retention.attemptDays === 0 || retention.attemptDays > retention.eventDays)) {
    throw new ConfigError([
      `PAYGATE_ATTEMPT_RETENTION_DAYS: must not exceed PAYGATE_EVENT_RETENTION_DAYS (${retention.eventDays}), since attempts are removed with their event`,
    ]);
  }
  return Object.freeze(retention);
}

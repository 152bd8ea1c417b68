import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createDatabase } from '../../src/adapters/db/create-database.js';
import { loadConfig, type ConfigOverrides } from '../../src/config.js';
import { startGateway, type Gateway, type GatewayRole } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { createDeliveryDispatcher, type DeliveryDispatcher } from '../../src/services/delivery-dispatcher.js';
import { SEED_MERCHANT } from '../../src/services/merchants.js';
import { createTemporaryDatabase, serviceAvailable } from './services.js';

export type Engine = 'pglite' | 'postgres';

export const SEED_HEADERS = {
  'x-api-key': SEED_MERCHANT.apiKey,
  'x-api-secret': SEED_MERCHANT.apiSecret,
} as const;

export type TestGateway = Gateway & {
  app: NonNullable<Gateway['app']>;
  /** inject() with the seed merchant's credentials, parsed JSON body. */
  call: (
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close: () => Promise<void>;
};

/**
 * A gateway on a fresh database of the given engine (PGlite in memory, or a new PostgreSQL
 * database), in test mode, not listening: tests drive it with inject().
 */
export async function startTestGateway(
  engine: Engine,
  overrides: ConfigOverrides = {},
  role: GatewayRole = 'all',
  options: { logger?: Logger; databaseUrl?: (url: string) => string } = {},
): Promise<TestGateway> {
  const temp = engine === 'postgres' ? await createTemporaryDatabase() : undefined;
  const config = loadConfig(
    {
      environment: 'development',
      testMode: true,
      testProcessingDelayMs: 0,
      dataDir: 'memory',
      databaseUrl: temp && options.databaseUrl ? options.databaseUrl(temp.url) : temp?.url,
      redisUrl: undefined,
      logLevel: 'silent',
      relayIntervalMs: 100,
      // Production (environment: 'production', testMode: false) requires one; any will do here.
      idempotencyFingerprintKey: 'test-helper-fingerprint-key-not-a-secret',
      ...overrides,
    },
    {},
  );
  const gateway = await startGateway(config, { role, logger: options.logger ?? createLogger(config.logLevel), listen: false });
  const app = gateway.app!;
  return Object.assign(gateway, {
    app,
    async call(method: string, url: string, body?: unknown, headers: Record<string, string> = SEED_HEADERS) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      let parsed: unknown = res.body;
      try {
        parsed = JSON.parse(res.body);
      } catch {
        /* not JSON: keep text */
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async close() {
      await gateway.stop();
      await temp?.drop();
    },
  });
}

/** The engines to run a suite on: always PGlite; PostgreSQL when it is reachable (always in CI). */
export async function testEngines(): Promise<Engine[]> {
  return (await serviceAvailable('postgres')) ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * For an `api` gateway whose test settles payments by hand (no worker behind its back): sends
 * the webhooks it queues as a worker would, through the delivery dispatcher, and nothing else.
 * Close the dispatcher before the gateway, so the last attempts are logged.
 */
export function deliverQueuedWebhooks(gw: Pick<TestGateway, 'deps'>, concurrency = 10): DeliveryDispatcher {
  const dispatcher = createDeliveryDispatcher(gw.deps);
  gw.deps.queue.process('deliveries', concurrency, (ids) => dispatcher.dispatch(ids));
  return dispatcher;
}

/** A fetch that answers through the app's inject (no socket): for the tRPC client over the real HTTP stack. */
export function injectFetch(gw: { app: FastifyInstance }): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const res = await gw.app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      ...(init?.body ? { payload: init.body as string } : {}),
    });
    return new Response(res.body, { status: res.statusCode, headers: res.headers as Record<string, string> });
  };
}

/**
 * A knex handle on a fresh, empty database of `engine` (PGlite in memory, or a new PostgreSQL
 * database and its URL); `close` destroys the handle and drops the database.
 */
export async function openTestDatabase(engine: Engine): Promise<{ db: Knex; url: string | undefined; close: () => Promise<void> }> {
  const temp = engine === 'postgres' ? await createTemporaryDatabase() : undefined;
  const db = createDatabase(temp ? { kind: 'postgres', url: temp.url } : { kind: 'pglite', dataDir: 'memory' });
  return {
    db,
    url: temp?.url,
    close: async () => {
      await db.destroy();
      await temp?.drop();
    },
  };
}

import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { verifyWebhook } from '@paygate/webhook-verify';
import { ProcessGroup, apiClient, freePort } from './processes.js';
import { startReceiver } from './receiver.js';
import { createTemporaryDatabase } from './services.js';

// A production-style gateway made of the BUILT `pg-cli server` and `pg-cli worker` (npm run
// build first) as real child processes on a fresh PostgreSQL database and Redis, with a real
// webhook receiver: what the durability and fault suites drive.

export const SEED_HEADERS = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789' };
export const WEBHOOK_SECRET = 'whsec_test_abc123';
export const SETTLE_TIMEOUT_MS = 60_000;
/** PAYGATE_SHUTDOWN_GRACE_MS of every process a scenario starts. */
export const SHUTDOWN_GRACE_MS = 5_000;

export type Outcome = 'success' | 'failed';
/** Payment id → the outcome its instrument decides (magic VPAs), known when it is created. */
export type Expected = Map<string, Outcome>;

export const since = (t0: number) => Math.round(performance.now() - t0);

/** The env of every child: ours, minus anything from the shell that would change the gateway. */
export function gatewayEnv(databaseUrl: string, redisUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('PAYGATE_') && !k.startsWith('TEST_') && !k.startsWith('WEBHOOK_') && !['PORT', 'HOST', 'NODE_ENV', 'LOG_LEVEL'].includes(k),
    ),
  );
  return {
    ...inherited,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    TEST_MODE: 'true',
    TEST_PROCESSING_DELAY: '500',
    WEBHOOK_RETRY_INTERVALS_TEST: 'true',
    PAYGATE_RATE_LIMIT_PER_MINUTE: '0',
    PAYGATE_RELAY_STALE_MS: '2000',
    PAYGATE_RELAY_INTERVAL_MS: '200',
    PAYGATE_SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * A fresh database, a flushed Redis db, a receiver, and one API process configured to post to
 * it. Everything it starts is registered in `cleanups` (run them in reverse, pass or fail).
 *
 * @param options.databaseUrlFor  the URL the processes use for the fresh database (e.g. through
 *   a proxy the test can cut); the test itself keeps the direct one.
 */
export async function openScenario(
  redisUrl: string,
  cleanups: Array<() => Promise<unknown>>,
  options: { group?: ProcessGroup; databaseUrlFor?: (directUrl: string) => string; env?: NodeJS.ProcessEnv } = {},
) {
  const group = options.group ?? new ProcessGroup();
  cleanups.push(() => group.killAll());
  const temp = await createTemporaryDatabase();
  cleanups.push(() => temp.drop());
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined); // fault tests kill the Redis server under this client
  cleanups.push(async () => redis.disconnect());
  await redis.connect();
  await redis.flushdb();
  const receiver = await startReceiver();
  // After the processes are gone (cleanups run in reverse): their keep-alive sockets are closed.
  cleanups.push(() => receiver.close());

  const env = gatewayEnv(options.databaseUrlFor?.(temp.url) ?? temp.url, redisUrl, options.env);
  const server = await group.server(env, await freePort());
  const api = apiClient(server.url, SEED_HEADERS);
  const config = await api('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url, events: ['payment.success', 'payment.failed'] });
  expect(config.status, JSON.stringify(config.body)).toBe(200);
  return { group, temp, redis, receiver, env, server, api };
}
export type Scenario = Awaited<ReturnType<typeof openScenario>>;

/**
 * Creates `count` orders and pays each one, `lanes` at a time; one in four with the VPA that
 * always fails, the rest with the one that always succeeds, so every outcome is known up front.
 */
export async function createPayments(s: Scenario, count: number, expected: Expected, lanes = 6): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) {
        const i = next++;
        const order = await s.api('POST', '/api/v1/orders', { amount: 10_000 + i, currency: 'INR' });
        expect(order.status, JSON.stringify(order.body)).toBe(201);
        const outcome: Outcome = i % 4 === 0 ? 'failed' : 'success';
        const payment = await s.api('POST', '/api/v1/payments', {
          order_id: order.body.id,
          method: 'upi',
          vpa: outcome === 'failed' ? 'failure@paygate' : 'success@paygate',
        });
        expect(payment.status, JSON.stringify(payment.body)).toBe(201);
        expected.set(payment.body.id, outcome);
      }
    }),
  );
}

export async function pendingCount(s: Pick<Scenario, 'api'>): Promise<number> {
  const res = await s.api('GET', '/api/v1/payments?status=pending&limit=1');
  expect(res.status).toBe(200);
  return res.body.total;
}

export async function allPaymentStatuses(s: Pick<Scenario, 'api'>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let offset = 0; ; offset += 100) {
    const page = await s.api('GET', `/api/v1/payments?limit=100&offset=${offset}`);
    expect(page.status).toBe(200);
    for (const p of page.body.data as Array<{ id: string; status: string }>) out.set(p.id, p.status);
    if (offset + 100 >= page.body.total) return out;
  }
}

/**
 * The guarantee: every payment ends in the outcome decided at creation, the receiver got at
 * least one verified webhook for each (duplicates allowed, nothing missing), and no payment was
 * announced both ways.
 */
export async function expectNothingLost(s: Scenario, expected: Expected): Promise<{ webhooks: number; duplicates: number }> {
  await expect.poll(() => pendingCount(s), { timeout: SETTLE_TIMEOUT_MS, interval: 250 }).toBe(0);
  const statuses = await allPaymentStatuses(s);
  expect(statuses.size).toBe(expected.size);
  const wrong = [...expected].filter(([id, outcome]) => statuses.get(id) !== outcome).map(([id, outcome]) => `${id}: ${statuses.get(id)} ≠ ${outcome}`);
  expect(wrong).toEqual([]);

  const terminal = () => s.receiver.received.filter((r) => r.event === 'payment.success' || r.event === 'payment.failed');
  const missing = () => {
    const seen = new Set(terminal().map((r) => (JSON.parse(r.body) as { data: { payment: { id: string } } }).data.payment.id));
    return [...expected.keys()].filter((id) => !seen.has(id));
  };
  await expect.poll(missing, { timeout: SETTLE_TIMEOUT_MS, interval: 250 }).toEqual([]);

  const outcomes = new Map<string, Set<string>>();
  const eventIds = new Set<string>();
  for (const r of terminal()) {
    const event = await verifyWebhook(r.body, r.headers as Record<string, string>, WEBHOOK_SECRET);
    const id = (event.data as { payment: { id: string } }).payment.id;
    outcomes.set(id, (outcomes.get(id) ?? new Set()).add(event.event));
    eventIds.add(event.id);
  }
  const contradictions = [...outcomes].filter(([id, events]) => events.size !== 1 || !events.has(`payment.${expected.get(id)}`));
  expect(contradictions.map(([id, events]) => `${id}: ${[...events].join(' + ')}`)).toEqual([]);
  return { webhooks: terminal().length, duplicates: terminal().length - eventIds.size };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createMerchant, SEED_MERCHANT } from '../../src/services/merchants.js';
import { pruneExpiredData } from '../../src/services/retention.js';
import { startTestGateway, testEngines, type Engine, type TestGateway } from '../helpers/gateway.js';

const engines = await testEngines();
const DAY_S = 86_400;

const id = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

/** One event of `merchantId` with its delivery in `status`, and `attempts` logged attempts, all stamped `now`. */
async function seedEventWithDelivery(
  gw: TestGateway,
  status: 'pending' | 'success' | 'failed' | 'none',
  attempts: number,
  { nextAttemptAt, merchantId = SEED_MERCHANT.id }: { nextAttemptAt?: Date; merchantId?: string } = {},
) {
  const db = gw.deps.db;
  const now = gw.deps.clock.now();
  const eventId = id('evt');
  await db('events').insert({ id: eventId, merchant_id: merchantId, type: 'payment.created', payment_id: null, sequence: 1, data: {}, created_at: now });
  if (status === 'none') return { eventId, deliveryId: undefined };
  const deliveryId = id('whd');
  await db('webhook_logs').insert({
    id: deliveryId,
    merchant_id: merchantId,
    event_id: eventId,
    event: 'payment.created',
    status,
    attempts,
    next_attempt_at: status === 'pending' ? (nextAttemptAt ?? now) : null,
    last_attempt_at: attempts > 0 ? now : null,
    created_at: now,
    updated_at: now,
  });
  for (let n = 1; n <= attempts; n += 1) {
    await db('webhook_attempts').insert({
      webhook_log_id: deliveryId,
      attempt_number: n,
      url: 'https://merchant.example/hook',
      attempted_at: now,
      status_code: 500,
      latency_ms: 3,
      response_body: 'no',
      error: null,
      succeeded: false,
    });
  }
  return { eventId, deliveryId };
}

async function exists(gw: TestGateway, table: string, where: Record<string, unknown>): Promise<boolean> {
  return (await gw.deps.db(table).where(where).first()) !== undefined;
}

const attemptsOf = async (gw: TestGateway, deliveryId: string) =>
  Number((await gw.deps.db('webhook_attempts').where({ webhook_log_id: deliveryId }).count<{ n: string }[]>({ n: '*' }))[0]!.n);

describe.each(engines)('retention on %s', (engine: Engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    // API role: no worker runs the schedule, so each test prunes exactly when it says so
    gw = await startTestGateway(engine, { retention: { intervalMs: 3_600_000, eventDays: 30, attemptDays: 7, heartbeatSeconds: 3_600, batchSize: 2 } }, 'api');
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('removes old finished events, deliveries and attempts, and keeps everything a pending delivery needs', async () => {
    // Given, 31 days ago on the gateway clock: finished deliveries, an event without delivery,
    // and a delivery still retrying (due long after)
    const delivered = await seedEventWithDelivery(gw, 'success', 1);
    const failed = await seedEventWithDelivery(gw, 'failed', 3);
    const alone = await seedEventWithDelivery(gw, 'none', 0);
    const retrying = await seedEventWithDelivery(gw, 'pending', 4, { nextAttemptAt: new Date(gw.deps.clock.now().getTime() + 60 * DAY_S * 1000) });
    await gw.testClock!.advance(31 * DAY_S);
    // and, 8 days ago, a failed delivery whose attempts are past the attempts' 7 days
    const recentFailed = await seedEventWithDelivery(gw, 'failed', 5);
    await gw.testClock!.advance(8 * DAY_S);
    // and one from today
    const fresh = await seedEventWithDelivery(gw, 'success', 2);

    // When the retention runs (batches of 2, so it takes several)
    const removed = await pruneExpiredData(gw.deps);

    // Then the old finished data is gone, cascade included
    for (const gone of [delivered, failed]) {
      expect(await exists(gw, 'events', { id: gone.eventId })).toBe(false);
      expect(await exists(gw, 'webhook_logs', { id: gone.deliveryId })).toBe(false);
      expect(await attemptsOf(gw, gone.deliveryId!)).toBe(0);
    }
    expect(await exists(gw, 'events', { id: alone.eventId })).toBe(false);
    // the pending delivery keeps its event and every attempt
    expect(await exists(gw, 'events', { id: retrying.eventId })).toBe(true);
    expect(await exists(gw, 'webhook_logs', { id: retrying.deliveryId, status: 'pending' })).toBe(true);
    expect(await attemptsOf(gw, retrying.deliveryId!)).toBe(4);
    // the 8-day-old delivery keeps its event and row but not its attempts
    expect(await exists(gw, 'events', { id: recentFailed.eventId })).toBe(true);
    expect(await exists(gw, 'webhook_logs', { id: recentFailed.deliveryId })).toBe(true);
    expect(await attemptsOf(gw, recentFailed.deliveryId!)).toBe(0);
    // today's data is untouched
    expect(await exists(gw, 'events', { id: fresh.eventId })).toBe(true);
    expect(await attemptsOf(gw, fresh.deliveryId!)).toBe(2);
    expect(removed).toMatchObject({ events: 3, deliveries: 2 });
    expect(removed.attempts).toBeGreaterThanOrEqual(5);

    // And a second run finds nothing more to do
    expect(await pruneExpiredData(gw.deps)).toEqual({ attempts: 0, deliveries: 0, events: 0, heartbeats: 0 });
  });

  it('lets several workers prune at once, each row removed once', async () => {
    // Given seven finished events older than the retention
    const old = [];
    for (let i = 0; i < 7; i += 1) old.push(await seedEventWithDelivery(gw, i % 2 ? 'success' : 'none', i % 2));
    await gw.testClock!.advance(31 * DAY_S);

    const before = new Date(gw.deps.clock.now().getTime() - 30 * DAY_S * 1000);
    const due = await gw.deps
      .db('events as e')
      .where('e.created_at', '<', before)
      .whereNotExists((q) => q.select(1).from('webhook_logs as w').whereRaw('w.event_id = e.id').where('w.status', 'pending'))
      .count<{ n: string }[]>({ n: '*' });
    expect(Number(due[0]!.n)).toBeGreaterThanOrEqual(7); // ours, and what earlier tests left to age

    // When three prune at the same time
    const runs = await Promise.all([pruneExpiredData(gw.deps), pruneExpiredData(gw.deps), pruneExpiredData(gw.deps)]);

    // Then all succeed, between them every event went once, and none is left
    expect(runs.reduce((n, r) => n + r.events, 0)).toBe(Number(due[0]!.n));
    for (const o of old) expect(await exists(gw, 'events', { id: o.eventId })).toBe(false);
  });

  it("walks every merchant's events, batch after batch, and leaves each merchant's recent ones", async () => {
    // Given two more merchants, each with old events (finished deliveries and none) and one of today
    const merchants = [
      await createMerchant(gw.deps, { name: 'North', email: `north-${engine}@retention.test` }),
      await createMerchant(gw.deps, { name: 'South', email: `south-${engine}@retention.test` }),
    ];
    const old = [];
    for (const m of merchants) for (let i = 0; i < 3; i += 1) old.push(await seedEventWithDelivery(gw, i % 2 ? 'failed' : 'none', i % 2, { merchantId: m.id }));
    await gw.testClock!.advance(31 * DAY_S);
    const fresh = await Promise.all(merchants.map((m) => seedEventWithDelivery(gw, 'success', 1, { merchantId: m.id })));

    // When the retention runs (batches of 2: a batch ends inside one merchant's events and the next goes on)
    const removed = await pruneExpiredData(gw.deps);

    // Then every merchant's old events and deliveries are gone, and today's stay
    for (const o of old) expect(await exists(gw, 'events', { id: o.eventId })).toBe(false);
    for (const o of old.filter((e) => e.deliveryId)) expect(await exists(gw, 'webhook_logs', { id: o.deliveryId })).toBe(false);
    for (const f of fresh) {
      expect(await exists(gw, 'events', { id: f.eventId })).toBe(true);
      expect(await exists(gw, 'webhook_logs', { id: f.deliveryId })).toBe(true);
    }
    expect(removed.events).toBeGreaterThanOrEqual(old.length);
    expect(removed.deliveries).toBeGreaterThanOrEqual(2);
  });

  it('removes the heartbeats of dead workers and keeps the live ones (real time)', async () => {
    // Given a worker last seen two hours ago and one seen just now
    const realNow = gw.deps.clock.realNow();
    const row = (workerId: string, lastSeen: Date) => ({
      worker_id: workerId,
      hostname: 'h',
      pid: 1,
      concurrency: 1,
      started_at: lastSeen,
      last_seen_at: lastSeen,
    });
    await gw.deps.db('worker_heartbeats').insert([row('dead:1', new Date(realNow.getTime() - 2 * 3_600_000)), row('live:1', realNow)]);

    // When the retention runs
    const removed = await pruneExpiredData(gw.deps);

    // Then only the dead one is gone
    expect(removed.heartbeats).toBe(1);
    expect(await exists(gw, 'worker_heartbeats', { worker_id: 'dead:1' })).toBe(false);
    expect(await exists(gw, 'worker_heartbeats', { worker_id: 'live:1' })).toBe(true);
  });
});

describe('retention in worker processes', () => {
  it('runs on its schedule in a process that runs workers', async () => {
    // Given a gateway with workers and a short retention schedule, and an event 31 days old
    const gw = await startTestGateway('pglite', {
      retention: { intervalMs: 1_000, eventDays: 30, attemptDays: 30, heartbeatSeconds: 3_600, batchSize: 1_000 },
    });
    try {
      const old = await seedEventWithDelivery(gw, 'failed', 1);
      await gw.testClock!.advance(31 * DAY_S);

      // Then it goes without anyone asking
      await expect.poll(() => exists(gw, 'events', { id: old.eventId }), { timeout: 10_000 }).toBe(false);
    } finally {
      await gw.close();
    }
  });
});

describe('retention configuration', () => {
  it('has documented defaults: events 30 days, attempts 30 days, dead heartbeats 1 hour, hourly', () => {
    expect(loadConfig({}, {}).retention).toEqual({ intervalMs: 3_600_000, eventDays: 30, attemptDays: 30, heartbeatSeconds: 3_600, batchSize: 1_000 });
  });

  it('keeps attempts as long as events unless told otherwise', () => {
    expect(loadConfig({}, { PAYGATE_EVENT_RETENTION_DAYS: '7' }).retention).toMatchObject({ eventDays: 7, attemptDays: 7 });
    expect(loadConfig({}, { PAYGATE_EVENT_RETENTION_DAYS: '0' }).retention).toMatchObject({ eventDays: 0, attemptDays: 0 });
  });

  it('reads every variable', () => {
    const env = {
      PAYGATE_RETENTION_INTERVAL_MS: '60000',
      PAYGATE_EVENT_RETENTION_DAYS: '90',
      PAYGATE_ATTEMPT_RETENTION_DAYS: '14',
      PAYGATE_HEARTBEAT_RETENTION_SECONDS: '600',
      PAYGATE_RETENTION_BATCH_SIZE: '500',
    };
    expect(loadConfig({}, env).retention).toEqual({ intervalMs: 60_000, eventDays: 90, attemptDays: 14, heartbeatSeconds: 600, batchSize: 500 });
  });

  it.each([
    ['PAYGATE_RETENTION_INTERVAL_MS', '10'],
    ['PAYGATE_EVENT_RETENTION_DAYS', '-1'],
    ['PAYGATE_EVENT_RETENTION_DAYS', 'forever'],
    ['PAYGATE_ATTEMPT_RETENTION_DAYS', '1.5'],
    ['PAYGATE_HEARTBEAT_RETENTION_SECONDS', '5'],
    ['PAYGATE_RETENTION_BATCH_SIZE', '0'],
  ])('refuses %s=%s with a ConfigError naming it', (name, value) => {
    expect(() => loadConfig({}, { [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({}, { [name]: value })).toThrow(name);
  });

  it('refuses attempts kept longer than their events (they are removed with the event)', () => {
    const load = () => loadConfig({}, { PAYGATE_EVENT_RETENTION_DAYS: '30', PAYGATE_ATTEMPT_RETENTION_DAYS: '90' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PAYGATE_ATTEMPT_RETENTION_DAYS.*PAYGATE_EVENT_RETENTION_DAYS/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@paygate/core';
import { loadConfig } from '../../src/config.js';
import { insertEventsWithDeliveries } from '../../src/adapters/db/operations/events.js';
import type { EventRow } from '../../src/model/rows.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { testEngines, type Engine } from '../helpers/gateway.js';
import { createTemporaryDatabase } from '../helpers/services.js';
import { connectSse, openSseStream, type SseStream } from '../helpers/sse.js';

const engines = await testEngines();

/** A listening gateway (API, workers and relay) on a fresh database of `engine`. */
async function startListening(engine: Engine): Promise<{ gateway: Gateway; url: string; close: () => Promise<void> }> {
  const temp = engine === 'postgres' ? await createTemporaryDatabase() : undefined;
  const config = loadConfig(
    {
      port: 0,
      host: '127.0.0.1',
      environment: 'development',
      testMode: true,
      testProcessingDelayMs: 0,
      dataDir: 'memory',
      databaseUrl: temp?.url,
      redisUrl: undefined,
      logLevel: 'silent',
      relayIntervalMs: 200,
    },
    {},
  );
  const gateway = await startGateway(config, { role: 'all', listen: true, logger: createLogger('silent') });
  return {
    gateway,
    url: gateway.url!,
    async close() {
      await gateway.stop();
      await temp?.drop();
    },
  };
}

async function api(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** A merchant of its own, so that its stream holds only what the test does. */
async function newMerchant(url: string): Promise<{ id: string; headers: Record<string, string> }> {
  const created = await api(
    url,
    'POST',
    '/api/v1/test/merchants',
    {},
    { name: 'Stream Merchant', email: `stream-${newId('event').slice(4).toLowerCase()}@example.com` },
  );
  expect(created.status).toBe(201);
  return { id: created.body.id, headers: { 'x-api-key': created.body.api_key, 'x-api-secret': created.body.api_secret } };
}

/** Creates an order and a UPI payment that succeeds, and waits until it has; returns the payment id. */
async function paySettled(url: string, headers: Record<string, string>): Promise<string> {
  const order = await api(url, 'POST', '/api/v1/orders', headers, { amount: 5000, currency: 'INR' });
  const payment = await api(url, 'POST', '/api/v1/payments', headers, { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' });
  expect(payment.status).toBe(201);
  await expect.poll(async () => (await api(url, 'GET', `/api/v1/payments/${payment.body.id}`, headers)).body.status, { timeout: 10_000 }).toBe('success');
  return payment.body.id as string;
}

const idsOf = (stream: SseStream) => stream.events().map((e) => e.id);

describe.each(engines)('event stream resumption on %s', (engine) => {
  let gw: Awaited<ReturnType<typeof startListening>>;
  const streams: SseStream[] = [];
  const track = (s: SseStream) => (streams.push(s), s);
  beforeAll(async () => {
    gw = await startListening(engine);
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await gw?.close();
  });

  it('an event committed while the bus is still confirming the subscription reaches the stream', async () => {
    // Given a bus that takes its time to confirm a subscription, as Redis may
    const merchant = await newMerchant(gw.url);
    const bus = gw.gateway.deps.eventBus;
    const original = { subscribe: bus.subscribe, ready: bus.ready };
    let confirm!: () => void;
    const confirmed = new Promise<void>((resolve) => (confirm = resolve));
    let subscribing = false;
    bus.subscribe = (merchantId, listener) => {
      subscribing = true;
      let unsubscribe: (() => void) | undefined;
      let cancelled = false;
      void confirmed.then(() => {
        if (!cancelled) unsubscribe = original.subscribe.call(bus, merchantId, listener);
      });
      return () => {
        cancelled = true;
        unsubscribe?.();
      };
    };
    bus.ready = (merchantId) => confirmed.then(() => original.ready.call(bus, merchantId));
    try {
      // When a stream opens, and a payment is made and settled before the subscription is confirmed
      const opening = openSseStream(gw.url, { headers: merchant.headers });
      await expect.poll(() => subscribing).toBe(true);
      const paymentId = await paySettled(gw.url, merchant.headers);
      confirm();
      const stream = track(await opening);

      // Then the stream still gets the payment's three events, in order
      await expect
        .poll(() => stream.events().map((e) => `${e.envelope.data.payment.id} ${e.event}`), { timeout: 10_000 })
        .toEqual([`${paymentId} payment.created`, `${paymentId} payment.pending`, `${paymentId} payment.success`]);
    } finally {
      bus.subscribe = original.subscribe;
      bus.ready = original.ready;
    }
  });

  it('a client that resumes after a gap gets exactly what it missed: nothing lost, nothing twice', async () => {
    // Given a client that saw one payment's events, then went away
    const merchant = await newMerchant(gw.url);
    const first = track(await connectSse(gw.url, { headers: merchant.headers }));
    const p1 = await paySettled(gw.url, merchant.headers);
    await expect.poll(() => first.events().length, { timeout: 10_000 }).toBe(3);
    first.close();

    // ...while payments and a refund happened, several at once
    const away = await Promise.all([paySettled(gw.url, merchant.headers), paySettled(gw.url, merchant.headers), paySettled(gw.url, merchant.headers)]);
    const refund = await api(gw.url, 'POST', `/api/v1/payments/${p1}/refunds`, merchant.headers, { amount: 100 });
    expect(refund.status).toBe(201);
    await expect.poll(async () => (await api(gw.url, 'GET', `/api/v1/refunds/${refund.body.id}`, merchant.headers)).body.status).toBe('processed');

    // When it resumes from the last event it got, and more happens live
    const again = track(await connectSse(gw.url, { headers: { ...merchant.headers, 'last-event-id': first.events().at(-1)!.id } }));
    const live = await paySettled(gw.url, merchant.headers);

    // Then between them the two connections got every event of the merchant exactly once
    const recorded = (await gw.gateway.deps.db('events').where({ merchant_id: merchant.id }).pluck('id')) as string[];
    expect(recorded).toHaveLength(3 * 5 + 2);
    await expect.poll(() => idsOf(again).length, { timeout: 10_000 }).toBe(recorded.length - 3);
    const seen = [...idsOf(first), ...idsOf(again)];
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...recorded].sort());
    // ... and each payment's events in their own order
    for (const id of [...away, live]) {
      const mine = again.events().filter((e) => e.envelope.data.payment?.id === id);
      expect(mine.map((e) => e.envelope.sequence)).toEqual([1, 2, 3]);
    }
  });
});

describe.skipIf(!engines.includes('postgres'))('event stream and transactions that commit out of order (PostgreSQL)', () => {
  let gw: Awaited<ReturnType<typeof startListening>>;
  const streams: SseStream[] = [];
  const track = (s: SseStream) => (streams.push(s), s);
  beforeAll(async () => {
    gw = await startListening('postgres');
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await gw?.close();
  });

  it('a resuming client gets both events when the transaction that started first commits last', async () => {
    const merchant = await newMerchant(gw.url);
    const { db, eventBus } = gw.gateway.deps;
    const event = (label: string): EventRow => ({
      id: newId('event'),
      merchant_id: merchant.id,
      type: 'webhook.test',
      payment_id: null,
      sequence: 1,
      data: { label },
      created_at: new Date(),
    });
    const publish = (e: EventRow) => eventBus.announce([e.merchant_id]);
    const commitOne = async (e: EventRow) => {
      await insertEventsWithDeliveries({ db, events: [e], realNow: new Date() });
      await publish(e);
    };
    const labels = (stream: SseStream) => stream.events().map((e) => e.envelope.data.label as string);

    // Given an event the client has seen
    const start = event('start');
    await commitOne(start);
    // ...and two transactions: A began first and is still open, B began after it and committed
    const a = event('A');
    const b = event('B');
    const trxA = await db.transaction();
    const trxB = await db.transaction();
    try {
      await insertEventsWithDeliveries({ db: trxA, events: [a], realNow: new Date() });
      await insertEventsWithDeliveries({ db: trxB, events: [b], realNow: new Date() });
      await trxB.commit();
      await publish(b);

      // When a client resumes after the start, then A commits, and the client takes the first
      // event it gets and goes away
      const first = track(await connectSse(gw.url, { headers: { ...merchant.headers, 'last-event-id': start.id } }));
      await trxA.commit();
      await publish(a);
      await expect.poll(() => first.events().length, { timeout: 10_000 }).toBeGreaterThan(0);
      first.close();
      const firstSeen = first.events()[0]!;

      // ...and resumes from it, while one more event comes
      const again = track(await connectSse(gw.url, { headers: { ...merchant.headers, 'last-event-id': firstSeen.id } }));
      const last = event('last');
      await commitOne(last);
      await expect.poll(() => labels(again), { timeout: 10_000 }).toContain('last');

      // Then A, B and the last one each reached the client once: nothing was left behind the cursor
      const seen = [firstSeen.envelope.data.label as string, ...labels(again)];
      expect([...seen].sort()).toEqual(['A', 'B', 'last']);
      expect(seen.at(-1)).toBe('last');
    } finally {
      await trxA.rollback().catch(() => undefined);
      await trxB.rollback().catch(() => undefined);
    }
  });
});

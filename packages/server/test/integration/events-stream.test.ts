import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ConfigOverrides } from '../../src/config.js';
import type { EventBus } from '../../src/ports/event-bus.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { SEED_MERCHANT } from '../../src/services/merchants.js';
import { SEED_HEADERS } from '../helpers/gateway.js';
import { connectSse, openSseStream, type SseStream } from '../helpers/sse.js';
import { createTemporaryDatabase, redisTestUrl, serviceAvailable } from '../helpers/services.js';

const openStream = openSseStream;
const connect = connectSse;

async function api(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = SEED_HEADERS) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

/** Creates an order and a UPI payment that succeeds; returns the payment id. */
async function pay(baseUrl: string, headers: Record<string, string> = SEED_HEADERS, amount = 50_000): Promise<string> {
  const order = await api(baseUrl, 'POST', '/api/v1/orders', { amount, currency: 'INR' }, headers);
  expect(order.status).toBe(201);
  const payment = await api(baseUrl, 'POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' }, headers);
  expect(payment.status).toBe(201);
  return payment.body.id as string;
}

const eventsOfPayment = (stream: SseStream, paymentId: string) =>
  stream.events().filter((e) => e.envelope.data?.payment?.id === paymentId || e.envelope.data?.refund?.payment_id === paymentId);

const embeddedConfig = (overrides: ConfigOverrides = {}) =>
  loadConfig(
    {
      port: 0,
      host: '127.0.0.1',
      testMode: true,
      dataDir: 'memory',
      logLevel: 'silent',
      testProcessingDelayMs: 0,
      environment: 'development',
      databaseUrl: undefined,
      redisUrl: undefined,
      ...overrides,
    },
    {},
  );

/** Counts live subscriptions on the bus (and restores it), to see a stream let go of its own. */
function countSubscriptions(bus: EventBus) {
  const original = bus.subscribe;
  let active = 0;
  bus.subscribe = (merchantId, listener) => {
    const unsubscribe = original.call(bus, merchantId, listener);
    active += 1;
    let done = false;
    return () => {
      if (!done) active -= 1;
      done = true;
      unsubscribe();
    };
  };
  return { active: () => active, restore: () => void (bus.subscribe = original) };
}

// ---------------------------------------------------------------------------------------------

describe('GET /api/v1/events/stream (embedded, real HTTP)', () => {
  let gateway: Gateway;
  let url: string;
  const streams: SseStream[] = [];
  const track = (s: SseStream) => (streams.push(s), s);

  beforeAll(async () => {
    gateway = await startGateway(embeddedConfig(), { role: 'all', listen: true, logger: createLogger('silent') });
    url = gateway.url!;
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await gateway?.stop();
  });

  it("streams a payment's payment.created, payment.pending and payment.success with the webhook envelope", async () => {
    // Given an open stream
    const stream = track(await connect(url));
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toBe('no-cache');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.frames[0]).toMatchObject({ comments: ['connected'], retry: 2000 });

    // When a payment is made and settles
    const paymentId = await pay(url);

    // Then its three events arrive in order, each frame's id and event matching its envelope
    await expect.poll(() => eventsOfPayment(stream, paymentId).map((e) => e.event)).toEqual(['payment.created', 'payment.pending', 'payment.success']);
    const events = eventsOfPayment(stream, paymentId);
    events.forEach((e, i) => {
      expect(e.id).toMatch(/^evt_[0-9A-Za-z]{16}$/);
      expect(e.envelope).toEqual({
        id: e.id,
        event: e.event,
        timestamp: expect.any(String),
        sequence: i + 1,
        data: { payment: expect.objectContaining({ id: paymentId }) },
      });
      expect(new Date(e.envelope.timestamp).toISOString()).toBe(e.envelope.timestamp);
    });
    expect(events[2]!.envelope.data.payment).toMatchObject({ status: 'success', amount: 50_000, currency: 'INR' });

    // And the same events are what the events table recorded (what webhooks carry)
    const rows = await gateway.deps
      .db('events')
      .whereIn(
        'id',
        events.map((e) => e.id),
      )
      .select('id', 'type');
    expect(rows.map((r) => `${r.id} ${r.type}`).sort()).toEqual(events.map((e) => `${e.id} ${e.event}`).sort());
  });

  it('never shows merchant B the events of merchant A (and the other way round)', async () => {
    // Given merchant B, and a stream for each merchant
    const created = await api(url, 'POST', '/api/v1/test/merchants', { name: 'Merchant B', email: 'b@example.com' }, {});
    expect(created.status).toBe(201);
    const bHeaders = { 'x-api-key': created.body.api_key, 'x-api-secret': created.body.api_secret };
    const a = track(await connect(url));
    const b = track(await connect(url, { headers: bHeaders }));

    // When A pays (fully settled on A's stream), then B pays
    const aPayment = await pay(url);
    await expect.poll(() => eventsOfPayment(a, aPayment).map((e) => e.event)).toContain('payment.success');
    const bPayment = await pay(url, bHeaders, 777);
    await expect.poll(() => eventsOfPayment(b, bPayment).map((e) => e.event)).toEqual(['payment.created', 'payment.pending', 'payment.success']);

    // Then each stream holds only its own merchant's payment
    expect(new Set(b.events().map((e) => e.envelope.data.payment.id))).toEqual(new Set([bPayment]));
    expect(a.events().map((e) => e.envelope.data.payment.id)).not.toContain(bPayment);
    expect(eventsOfPayment(a, aPayment)).toHaveLength(3);
  });

  it('filters by ?types=, and rejects an unknown type or parameter with 400 naming the field', async () => {
    // Given a stream of payment.success and refund.processed only
    const stream = track(await connect(url, { query: '?types=payment.success,refund.processed' }));

    // When a payment settles and is refunded
    const paymentId = await pay(url);
    await expect.poll(async () => (await api(url, 'GET', `/api/v1/payments/${paymentId}`)).body.status).toBe('success');
    const refund = await api(url, 'POST', `/api/v1/payments/${paymentId}/refunds`, { amount: 1000 });
    expect(refund.status).toBe(201);

    // Then only those two types arrive
    await expect.poll(() => eventsOfPayment(stream, paymentId).map((e) => e.event)).toEqual(['payment.success', 'refund.processed']);
    expect(new Set(stream.events().map((e) => e.event))).toEqual(new Set(['payment.success', 'refund.processed']));

    // And a repeated parameter and webhook.test are accepted
    const repeated = track(await connect(url, { query: '?types=payment.failed&types=webhook.test' }));
    repeated.close();

    // But an unknown type, an empty list or another parameter is a 400
    for (const [query, field] of [
      ['?types=payment.success,payment.exploded', 'types'],
      ['?types=', 'types'],
      ['?type=payment.success', 'type'],
    ] as const) {
      const res = await api(url, 'GET', `/api/v1/events/stream${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatchObject({ code: 'BAD_REQUEST_ERROR', field });
    }
    const bad = await api(url, 'GET', '/api/v1/events/stream?types=payment.exploded');
    expect(bad.body.error.description).toContain("'payment.exploded'");
    expect(bad.body.error.description).toContain('refund.processed');
  });

  it('answers 401 without credentials or with a wrong secret', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'x-api-key': SEED_MERCHANT.apiKey },
      { 'x-api-key': SEED_MERCHANT.apiKey, 'x-api-secret': 'secret_test_wrong' },
    ];
    for (const headers of attempts) {
      const res = await api(url, 'GET', '/api/v1/events/stream', undefined, headers);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('AUTHENTICATION_ERROR');
    }
  });

  it('replays the events after Last-Event-ID, then streams live ones, each once', async () => {
    // Given a client that saw a payment's first event, then went away
    const first = track(await connect(url));
    const p1 = await pay(url);
    await expect.poll(() => eventsOfPayment(first, p1)).toHaveLength(3);
    const [e1, e2, e3] = eventsOfPayment(first, p1);
    first.close();
    // ...while another payment happened
    const p2 = await pay(url);
    await expect.poll(async () => (await api(url, 'GET', `/api/v1/payments/${p2}`)).body.status).toBe('success');

    // When it reconnects with Last-Event-ID
    const again = track(await connect(url, { headers: { ...SEED_HEADERS, 'last-event-id': e1!.id } }));

    // Then it gets what it missed, in order: the rest of p1, then p2
    await expect.poll(() => again.events().length).toBeGreaterThanOrEqual(5);
    const replayed = again.events().slice(0, 5);
    expect(replayed.slice(0, 2).map((e) => e.id)).toEqual([e2!.id, e3!.id]);
    expect(replayed.slice(2).map((e) => `${e.envelope.data.payment.id} ${e.event}`)).toEqual([
      `${p2} payment.created`,
      `${p2} payment.pending`,
      `${p2} payment.success`,
    ]);
    expect(replayed[0]!.envelope).toEqual(e2!.envelope);

    // And then live events, with no event twice
    const p3 = await pay(url);
    await expect.poll(() => eventsOfPayment(again, p3)).toHaveLength(3);
    const ids = again.events().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(e1!.id);

    // And an unknown Last-Event-ID replays nothing, says so, and streams live
    const unknown = track(await connect(url, { headers: { ...SEED_HEADERS, 'last-event-id': 'evt_0000000000000000' } }));
    expect(unknown.comments().some((c) => c.includes('Last-Event-ID'))).toBe(true);
    expect(unknown.events()).toHaveLength(0);
  });

  it('sends an event once when it is both replayed and published live during the catch-up', async () => {
    // Given two recorded events, the second one committed before the reconnect but published after it
    const seen = track(await connect(url));
    const p = await pay(url);
    await expect.poll(() => eventsOfPayment(seen, p)).toHaveLength(3);
    const [e1, e2, e3] = eventsOfPayment(seen, p);
    const bus = gateway.deps.eventBus;
    const original = bus.subscribe;
    bus.subscribe = (merchantId, listener) => {
      const unsubscribe = original.call(bus, merchantId, listener);
      listener(); // e2's wake-up, arriving before the replay is read
      return unsubscribe;
    };
    try {
      // When a client reconnects after e1
      const again = track(await connect(url, { headers: { ...SEED_HEADERS, 'last-event-id': e1!.id } }));
      await expect.poll(() => again.events().map((e) => e.id)).toEqual([e2!.id, e3!.id]);
      // Then e2 came once (a later live event still flows)
      const p2 = await pay(url);
      await expect.poll(() => eventsOfPayment(again, p2)).toHaveLength(3);
      expect(again.events().filter((e) => e.id === e2!.id)).toHaveLength(1);
    } finally {
      bus.subscribe = original;
    }
  });

  it('replays at most 1000 events per connection, then ends so the client resumes from the last one', async () => {
    // Given a merchant with 1,005 recorded events
    const created = await api(url, 'POST', '/api/v1/test/merchants', { name: 'Busy Merchant', email: 'busy@example.com' }, {});
    const headers = { 'x-api-key': created.body.api_key, 'x-api-secret': created.body.api_secret };
    const base = Date.parse('2030-01-01T00:00:00.000Z');
    const rows = Array.from({ length: 1005 }, (_, i) => ({
      id: `evt_Bulk${String(i).padStart(12, '0')}`,
      merchant_id: created.body.id,
      type: 'webhook.test',
      payment_id: null,
      sequence: 1,
      data: JSON.stringify({ n: i }),
      created_at: new Date(base + i),
    }));
    await gateway.deps.db.batchInsert('events', rows, 500);

    // When a client resumes after the first
    const first = track(await connect(url, { headers: { ...headers, 'last-event-id': rows[0]!.id } }));

    // Then it gets the next 1000 and the stream ends, saying why
    await expect.poll(() => first.ended()).toBe(true);
    expect(first.events().map((e) => e.envelope.data.n)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(first.comments().some((c) => c.includes('replay limit'))).toBe(true);

    // And resuming from the last one it got brings the rest, and stays open
    const last = first.events().at(-1)!.id;
    const rest = track(await connect(url, { headers: { ...headers, 'last-event-id': last } }));
    await expect.poll(() => rest.events().map((e) => e.envelope.data.n)).toEqual([1001, 1002, 1003, 1004]);
    expect(rest.ended()).toBe(false);
  });

  it('lets go of its subscription when the client disconnects', async () => {
    const subscriptions = countSubscriptions(gateway.deps.eventBus);
    try {
      const stream = await connect(url);
      expect(subscriptions.active()).toBe(1);
      stream.close();
      await expect.poll(() => subscriptions.active()).toBe(0);
    } finally {
      subscriptions.restore();
    }
  });
});

describe('graceful stop with a stream open', () => {
  it('resolves stop() promptly and ends the stream', async () => {
    const gateway = await startGateway(embeddedConfig(), { role: 'all', listen: true, logger: createLogger('silent') });
    const stream = await connect(gateway.url!);
    const started = Date.now();
    let deadline: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      gateway.stop().then(() => 'stopped'),
      new Promise((resolve) => (deadline = setTimeout(resolve, 5_000, 'held open by the stream'))),
    ]);
    clearTimeout(deadline);
    expect(outcome).toBe('stopped');
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect.poll(() => stream.ended()).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

const splitReady = (await serviceAvailable('postgres')) && (await serviceAvailable('redis'));

describe.skipIf(!splitReady)('event stream across processes (PostgreSQL + Redis pub/sub)', () => {
  const redisUrl = redisTestUrl('eventsStream');
  let temp: Awaited<ReturnType<typeof createTemporaryDatabase>>;
  let apiGateway: Gateway;
  let worker: Gateway;
  let redis: Redis;
  const config = () =>
    loadConfig(
      {
        port: 0,
        host: '127.0.0.1',
        environment: 'development',
        testMode: true,
        testProcessingDelayMs: 0,
        databaseUrl: temp.url,
        redisUrl,
        logLevel: 'silent',
        relayIntervalMs: 200,
        rateLimitPerMinute: 0,
      },
      {},
    );

  beforeAll(async () => {
    temp = await createTemporaryDatabase();
    redis = new Redis(redisUrl);
    await redis.flushdb();
    apiGateway = await startGateway(config(), { role: 'api', listen: true, logger: createLogger('silent') });
    worker = await startGateway(config(), { role: 'worker', logger: createLogger('silent') });
  });
  afterAll(async () => {
    for (const g of [apiGateway, worker]) await g?.stop();
    await redis?.quit();
    await temp?.drop();
  });

  it('delivers the payment.success a worker process settles to a stream held by the API process', async () => {
    // Given a stream on the API process, subscribed on Redis
    const stream = await connect(apiGateway.url!);
    try {
      const channel = `paygate:events:${SEED_MERCHANT.id}`;
      await expect.poll(async () => ((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]).toBe(1);

      // When a payment is made (the API process has no workers: the worker process settles it)
      expect(apiGateway.workers).toBeUndefined();
      const paymentId = await pay(apiGateway.url!);

      // Then the stream receives all three events, payment.success included
      await expect
        .poll(() => eventsOfPayment(stream, paymentId).map((e) => e.event), { timeout: 15_000 })
        .toEqual(['payment.created', 'payment.pending', 'payment.success']);
      expect(eventsOfPayment(stream, paymentId)[2]!.envelope.data.payment.status).toBe('success');
    } finally {
      stream.close();
    }
  });

  it('a stream opened just after nobody listened gets the next payment at once, though both processes had gone quiet about its merchant', async () => {
    // Given a payment nobody watched: the API's and the worker's wake-ups reached no subscriber,
    // so each process skips this merchant's for a while
    const unwatched = await pay(apiGateway.url!);
    await expect.poll(async () => (await api(apiGateway.url!, 'GET', `/api/v1/payments/${unwatched}`)).body.status).toBe('success');

    // When a stream opens at once and a payment follows
    const stream = await connect(apiGateway.url!);
    try {
      const paymentId = await pay(apiGateway.url!);

      // Then its events arrive all the same, long before a ping (every 15 s) would have read them
      await expect
        .poll(() => eventsOfPayment(stream, paymentId).map((e) => e.event), { timeout: 5_000 })
        .toEqual(['payment.created', 'payment.pending', 'payment.success']);
    } finally {
      stream.close();
    }
  });
});

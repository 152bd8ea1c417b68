import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaygateClient } from '../../src/client.js';
import type { MerchantRow } from '../../src/model/rows.js';
import {
  beginIdempotentRequest,
  completeIdempotentRequest,
  endFailedIdempotentRequest,
  IN_FLIGHT_LEASE_MS,
  releaseIdempotentRequest,
} from '../../src/services/idempotency.js';
import { SEED_MERCHANT } from '../../src/services/merchants.js';
import { createOrder } from '../../src/services/orders.js';
import { SEED_HEADERS, startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';

const engines = await testEngines();

describe.each(engines)('Idempotency-Key after a crash on %s', (engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(engine, { testPaymentSuccess: true });
  });
  afterAll(async () => gw?.close());

  const withKey = (key: string) => ({ ...SEED_HEADERS, 'idempotency-key': `${key}-${engine}` });
  const count = async (table: string) => Number((await gw.deps.db(table).count({ n: '*' }))[0]!.n);

  /**
   * The crash: the work committed, but the process died before the key was completed, so the
   * record is still in flight with no stored response. Then the in-flight lease runs out.
   */
  async function crashBeforeCompletion(key: string) {
    const n = await gw.deps
      .db('idempotency_keys')
      .where({ key: `${key}-${engine}` })
      .update({ state: 'in_flight', response_status: null, response_body: null });
    expect(n).toBe(1);
    const advanced = await gw.call('POST', '/api/v1/test/clock/advance', { seconds: IN_FLIGHT_LEASE_MS / 1000 + 1 }, {});
    expect(advanced.status).toBe(200);
  }

  it('a retry after the in-flight timeout returns the order created before the crash, and creates none', async () => {
    // Given an order created with a key, whose completion was lost in a crash
    const body = { amount: 1200, currency: 'INR', receipt: 'crash' };
    const first = await gw.call('POST', '/api/v1/orders', body, withKey('crash-order'));
    expect(first.status).toBe(201);
    await crashBeforeCompletion('crash-order');
    const before = await count('orders');
    // When the client retries with the same key and body
    const retry = await gw.call('POST', '/api/v1/orders', body, withKey('crash-order'));
    // Then it gets the same order, and no new one exists
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(await count('orders')).toBe(before);
    // And the key is completed now: the next retry is a plain replay
    const again = await gw.call('POST', '/api/v1/orders', body, withKey('crash-order'));
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  it('a retry after the in-flight timeout returns the payment created before the crash, and creates none (REST and checkout)', async () => {
    for (const [url, headers] of [
      ['/api/v1/payments', withKey('crash-payment')],
      ['/api/v1/checkout/payments', { 'x-api-key': SEED_HEADERS['x-api-key'], 'idempotency-key': `crash-checkout-${engine}` }],
    ] as const) {
      const order = (await gw.call('POST', '/api/v1/orders', { amount: 3000, currency: 'INR' })).body.id as string;
      const body = { order_id: order, method: 'upi', vpa: 'success@paygate' };
      const first = await gw.call('POST', url, body, headers);
      expect(first.status, url).toBe(201);
      await crashBeforeCompletion(headers['idempotency-key'].replace(`-${engine}`, ''));
      const before = await count('payments');

      const retry = await gw.call('POST', url, body, headers);
      expect(retry.status, url).toBe(201);
      expect(retry.body.id, url).toBe(first.body.id);
      expect(await count('payments'), url).toBe(before);
      expect((await gw.call('GET', `/api/v1/payments?order_id=${order}`)).body.total, url).toBe(1);
    }
  });

  it('a retry after the in-flight timeout returns the refund created before the crash, and reserves nothing more', async () => {
    const order = (await gw.call('POST', '/api/v1/orders', { amount: 5000, currency: 'INR' })).body.id as string;
    const payment = (await gw.call('POST', '/api/v1/payments', { order_id: order, method: 'upi', vpa: 'success@paygate' })).body.id as string;
    await expect.poll(async () => (await gw.call('GET', `/api/v1/payments/${payment}`)).body.status).toBe('success');
    const url = `/api/v1/payments/${payment}/refunds`;
    const first = await gw.call('POST', url, { amount: 1000 }, withKey('crash-refund'));
    expect(first.status).toBe(201);
    await crashBeforeCompletion('crash-refund');

    const retry = await gw.call('POST', url, { amount: 1000 }, withKey('crash-refund'));
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const refunds = await gw.call('GET', `${url}?limit=100`);
    expect(refunds.body.data.map((r: { id: string }) => r.id)).toEqual([first.body.id]);
    expect((await gw.call('GET', `/api/v1/payments/${payment}`)).body.amount_refunded).toBe(1000);
  });

  it('a request answered 5xx after its payment committed (the connection dropped, say): the immediate retry returns that payment and creates none', async () => {
    // Given a payment that committed, while its request failed with a 503 before completing the key
    const order = (await gw.call('POST', '/api/v1/orders', { amount: 3100, currency: 'INR' })).body.id as string;
    const body = { order_id: order, method: 'upi', vpa: 'success@paygate' };
    const first = await gw.call('POST', '/api/v1/payments', body, withKey('unknown-outcome'));
    expect(first.status).toBe(201);
    const row = (await gw.deps
      .db('idempotency_keys')
      .where({ key: `unknown-outcome-${engine}` })
      .first())!;
    const lockedUntil = new Date(gw.deps.clock.now().getTime() + 30_000);
    await gw.deps
      .db('idempotency_keys')
      .where({ key: row.key })
      .update({ state: 'in_flight', response_status: null, response_body: null, locked_until: lockedUntil });
    const scope = { merchantId: row.merchant_id, method: row.method, path: row.path, key: row.key };
    await endFailedIdempotentRequest(gw.deps, { scope, lockedUntil, ref: row.idempotency_ref, recovering: false }, 503);

    // When the merchant retries at once (no lease to wait out), it gets that payment; nothing new exists
    const retry = await gw.call('POST', '/api/v1/payments', body, withKey('unknown-outcome'));
    expect([retry.status, retry.body.id]).toEqual([201, first.body.id]);
    expect((await gw.call('GET', `/api/v1/payments?order_id=${order}`)).body.total).toBe(1);
  });

  it('an abandoned in-flight key is not taken over by a different body: 422', async () => {
    const first = await gw.call('POST', '/api/v1/orders', { amount: 700, currency: 'INR' }, withKey('crash-other-body'));
    expect(first.status).toBe(201);
    await crashBeforeCompletion('crash-other-body');
    const other = await gw.call('POST', '/api/v1/orders', { amount: 701, currency: 'INR' }, withKey('crash-other-body'));
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED_ERROR');
  });

  it('a first request still running when its key was taken over cannot create a second resource: it returns the one the retry made', async () => {
    // Given a first request that claimed its key and then stalled past the in-flight timeout
    const merchant = (await gw.deps.db<MerchantRow>('merchants').where({ api_key: SEED_MERCHANT.apiKey }).first())!;
    const body = { amount: 4400, currency: 'INR' as const };
    const key = `slow-first-${engine}`;
    const slow = await beginIdempotentRequest(gw.deps, { merchantId: merchant.id, method: 'POST', path: '/api/v1/orders', key }, body);
    expect(slow.kind).toBe('claimed');
    await gw.call('POST', '/api/v1/test/clock/advance', { seconds: IN_FLIGHT_LEASE_MS / 1000 + 1 }, {});
    // And a retry that took the key over and created the order
    const retry = await gw.call('POST', '/api/v1/orders', body, { ...SEED_HEADERS, 'idempotency-key': key });
    expect(retry.status).toBe(201);
    const before = await count('orders');
    // When the stalled first request finally gets to its insert
    if (slow.kind !== 'claimed') throw new Error('unreachable');
    const late = await createOrder(gw.deps, merchant, body, { ref: slow.ref, recovering: slow.recovering });
    // Then the unique recovery point refuses it, and it answers with the retry's order
    expect(late.id).toBe(retry.body.id);
    expect(await count('orders')).toBe(before);
  });

  it('a first request whose key was taken over can no longer release or complete it: only the holder can', async () => {
    const merchant = (await gw.deps.db<MerchantRow>('merchants').where({ api_key: SEED_MERCHANT.apiKey }).first())!;
    const scope = { merchantId: merchant.id, method: 'POST', path: '/api/v1/orders', key: `owner-${engine}` };
    const body = { amount: 5100, currency: 'INR' };
    // Given a first request that stalled past its lease, and a retry that took the key over
    const first = await beginIdempotentRequest(gw.deps, scope, body);
    await gw.call('POST', '/api/v1/test/clock/advance', { seconds: IN_FLIGHT_LEASE_MS / 1000 + 1 }, {});
    const taker = await beginIdempotentRequest(gw.deps, scope, body);
    if (first.kind !== 'claimed' || taker.kind !== 'claimed') throw new Error('both should have claimed');
    expect(taker.recovering).toBe(true);
    // When the first one fails, or finishes, late
    await releaseIdempotentRequest(gw.deps, first);
    await completeIdempotentRequest(gw.deps, first, 201, '{"stale":true}');
    // Then the key is still the retry's, in flight: a third request waits (409) instead of running again
    const third = await gw.call('POST', '/api/v1/orders', body, { ...SEED_HEADERS, 'idempotency-key': scope.key });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('IDEMPOTENCY_IN_FLIGHT_ERROR');
    // And once the holder completes, its response is the one replayed
    await completeIdempotentRequest(gw.deps, taker, 201, '{"holder":true}');
    const replay = await gw.call('POST', '/api/v1/orders', body, { ...SEED_HEADERS, 'idempotency-key': scope.key });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual({ holder: true });
  });

  it('a fingerprint made before a key rotation still matches with the previous key configured, and only then', async () => {
    const merchant = (await gw.deps.db<MerchantRow>('merchants').where({ api_key: SEED_MERCHANT.apiKey }).first())!;
    const scope = { merchantId: merchant.id, method: 'POST', path: '/api/v1/orders', key: `rotation-${engine}` };
    const body = { amount: 5200, currency: 'INR' };
    const [oldKey, newKey] = ['o'.repeat(32), 'n'.repeat(32)];
    const withKeys = (current: string, previous?: string) => ({
      ...gw.deps,
      config: { ...gw.deps.config, idempotencyFingerprintKey: current, idempotencyFingerprintPreviousKey: previous },
    });
    // Given a request completed under the old key
    const first = await beginIdempotentRequest(withKeys(oldKey), scope, body);
    if (first.kind !== 'claimed') throw new Error('should have claimed');
    await completeIdempotentRequest(gw.deps, first, 201, '{"first":true}');
    // Then after the rotation its retry replays, as long as the previous key is configured
    expect(await beginIdempotentRequest(withKeys(newKey, oldKey), scope, body)).toEqual({ kind: 'replay', status: 201, body: '{"first":true}' });
    await expect(beginIdempotentRequest(withKeys(newKey), scope, body)).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED_ERROR' });
    // And a different body is still a different request
    await expect(beginIdempotentRequest(withKeys(newKey, oldKey), scope, { ...body, amount: 5201 })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED_ERROR',
    });
  });
});

describe.each(engines)('Idempotency-Key over real HTTP (tRPC, and REST) on %s', (engine) => {
  let gw: TestGateway;
  let baseUrl: string;
  /** Response headers of every tRPC request, newest last. */
  const seen: Headers[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    seen.push(res.headers);
    return res;
  };
  beforeAll(async () => {
    gw = await startTestGateway(engine, { testPaymentSuccess: true });
    // Real HTTP, so concurrent calls really are concurrent requests
    baseUrl = await gw.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => gw?.close());

  const client = (headers: { 'x-api-key': string; 'x-api-secret': string } = SEED_HEADERS) =>
    createPaygateClient({ baseUrl, apiKey: headers['x-api-key'], apiSecret: headers['x-api-secret'], fetch: recordingFetch });
  const count = async (table: string) => Number((await gw.deps.db(table).count({ n: '*' }))[0]!.n);
  const key = (name: string) => ({ context: { idempotencyKey: `${name}-${engine}` } });

  it('replays the first result for the same key and input, marked Idempotent-Replayed, and creates nothing new', async () => {
    const pg = client();
    const input = { amount: 2500, currency: 'INR' as const, receipt: 'trpc-replay' };
    const first = await pg.orders.create.mutate(input, key('trpc-replay'));
    const before = await count('orders');
    const again = await pg.orders.create.mutate(input, key('trpc-replay'));
    expect(again).toEqual(first);
    expect(seen.at(-1)!.get('idempotent-replayed')).toBe('true');
    expect(await count('orders')).toBe(before);
    // Without a key, each call creates
    const unkeyed = await pg.orders.create.mutate(input);
    expect(unkeyed.id).not.toBe(first.id);
  });

  it('answers a different input under the same key with 422 IDEMPOTENCY_KEY_REUSED_ERROR', async () => {
    const pg = client();
    await pg.orders.create.mutate({ amount: 100, currency: 'INR' as const }, key('trpc-reuse'));
    await expect(pg.orders.create.mutate({ amount: 101, currency: 'INR' as const }, key('trpc-reuse'))).rejects.toMatchObject({
      data: { httpStatus: 422, paygate: { code: 'IDEMPOTENCY_KEY_REUSED_ERROR', field: 'Idempotency-Key' } },
    });
  });

  it('answers 409 IDEMPOTENCY_IN_FLIGHT_ERROR while the first call with the key still runs', async () => {
    const merchant = (await gw.deps.db<MerchantRow>('merchants').where({ api_key: SEED_MERCHANT.apiKey }).first())!;
    const input = { amount: 300, currency: 'INR' as const };
    // Given a call to orders.create holding the key (scoped per merchant and procedure)
    const held = await beginIdempotentRequest(
      gw.deps,
      { merchantId: merchant.id, method: 'POST', path: '/trpc/orders.create', key: `trpc-in-flight-${engine}` },
      input,
    );
    expect(held.kind).toBe('claimed');
    await expect(client().orders.create.mutate(input, key('trpc-in-flight'))).rejects.toMatchObject({
      data: { httpStatus: 409, paygate: { code: 'IDEMPOTENCY_IN_FLIGHT_ERROR' } },
    });
  });

  it('scopes keys per merchant and per procedure, and stores nothing for a call that failed validation', async () => {
    const pg = client();
    // A call rejected by validation stores nothing, so the corrected call with the key runs
    await expect(pg.orders.create.mutate({ amount: -1, currency: 'INR' as const } as never, key('trpc-scope'))).rejects.toMatchObject({
      data: { httpStatus: 400, paygate: { code: 'BAD_REQUEST_ERROR', field: 'amount' } },
    });
    // A key over 255 characters is refused as on REST
    await expect(pg.orders.create.mutate({ amount: 900, currency: 'INR' as const }, { context: { idempotencyKey: 'k'.repeat(256) } })).rejects.toMatchObject({
      data: { httpStatus: 400, paygate: { code: 'BAD_REQUEST_ERROR', field: 'Idempotency-Key' } },
    });
    const order = await pg.orders.create.mutate({ amount: 900, currency: 'INR' as const }, key('trpc-scope'));
    // The same key on another procedure, on REST, and for another merchant is another request
    const payment = await pg.payments.create.mutate({ order_id: order.id, method: 'upi', vpa: 'success@paygate' }, key('trpc-scope'));
    expect(payment.order_id).toBe(order.id);
    const rest = await gw.call(
      'POST',
      '/api/v1/orders',
      { amount: 900, currency: 'INR' as const },
      { ...SEED_HEADERS, 'idempotency-key': `trpc-scope-${engine}` },
    );
    expect(rest.status).toBe(201);
    expect(rest.headers['idempotent-replayed']).toBeUndefined();
    expect(rest.body.id).not.toBe(order.id);
    const b = (await gw.call('POST', '/api/v1/test/merchants', { name: 'B', email: `b-trpc-${engine}@example.com` }, {})).body;
    const asB = await client({ 'x-api-key': b.api_key, 'x-api-secret': b.api_secret }).orders.create.mutate(
      { amount: 900, currency: 'INR' as const },
      key('trpc-scope'),
    );
    expect(asB.id).not.toBe(order.id);
  });

  it('refuses an Idempotency-Key header on a request that batches several calls (it could belong to any of them)', async () => {
    const res = await fetch(`${baseUrl}/trpc/orders.create,orders.create?batch=1`, {
      method: 'POST',
      headers: { ...SEED_HEADERS, 'content-type': 'application/json', 'idempotency-key': `trpc-batch-${engine}` },
      body: JSON.stringify({ 0: { amount: 100, currency: 'INR' as const }, 1: { amount: 200, currency: 'INR' as const } }),
    });
    const body = (await res.json()) as Array<{ error?: { data: { paygate: { code: string; field?: string } } } }>;
    expect(body).toHaveLength(2);
    for (const call of body) expect(call.error?.data.paygate).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'Idempotency-Key' });
  });

  it('creates exactly one payment from 20 concurrent calls with one key, over HTTP', async () => {
    const pg = client();
    const order = await pg.orders.create.mutate({ amount: 5000, currency: 'INR' as const });
    const input = {
      order_id: order.id,
      method: 'card' as const,
      card: { number: '4111 1111 1111 1111', expiry_month: '12', expiry_year: '2035', cvv: '123', name: 'A Shopper' },
    };
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => pg.payments.create.mutate(input, key('trpc-concurrent'))));

    const created = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((p) => p.id)).size).toBe(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ data: { httpStatus: 409, paygate: { code: 'IDEMPOTENCY_IN_FLIGHT_ERROR' } } });
    }
    expect((await gw.call('GET', `/api/v1/payments?order_id=${order.id}`)).body.total).toBe(1);
    // A later call replays it
    expect((await pg.payments.create.mutate(input, key('trpc-concurrent'))).id).toBe(created[0]!.id);
  });

  it('REST too: 20 concurrent identical requests over HTTP create exactly one payment', async () => {
    const order = (await gw.call('POST', '/api/v1/orders', { amount: 6000, currency: 'INR' })).body.id as string;
    const body = JSON.stringify({ order_id: order, method: 'upi', vpa: 'success@paygate' });
    const headers = { ...SEED_HEADERS, 'content-type': 'application/json', 'idempotency-key': `rest-http-concurrent-${engine}` };
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${baseUrl}/api/v1/payments`, { method: 'POST', headers, body })));
    const results = await Promise.all(responses.map(async (r) => ({ status: r.status, body: (await r.json()) as { id?: string; error?: { code: string } } })));

    for (const r of results) expect([201, 409]).toContain(r.status);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error?.code).toBe('IDEMPOTENCY_IN_FLIGHT_ERROR');
    expect((await gw.call('GET', `/api/v1/payments?order_id=${order}`)).body.total).toBe(1);
  });

  it('a retry after the in-flight timeout returns the refund created before a crash, and creates none', async () => {
    const pg = client();
    const order = await pg.orders.create.mutate({ amount: 8000, currency: 'INR' as const });
    const payment = await pg.payments.create.mutate({ order_id: order.id, method: 'upi', vpa: 'success@paygate' });
    await expect.poll(async () => (await pg.payments.get.query({ id: payment.id })).status).toBe('success');
    const input = { payment_id: payment.id, refund: { amount: 500 } };
    const first = await pg.refunds.create.mutate(input, key('trpc-crash'));
    // The crash: committed, never completed; then the lease runs out
    expect(
      await gw.deps
        .db('idempotency_keys')
        .where({ key: `trpc-crash-${engine}` })
        .update({ state: 'in_flight', response_status: null, response_body: null }),
    ).toBe(1);
    await gw.call('POST', '/api/v1/test/clock/advance', { seconds: IN_FLIGHT_LEASE_MS / 1000 + 1 }, {});

    const retry = await pg.refunds.create.mutate(input, key('trpc-crash'));
    expect(retry.id).toBe(first.id);
    expect((await pg.refunds.listForPayment.query({ payment_id: payment.id })).data.map((r) => r.id)).toEqual([first.id]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaygateClient } from '../../src/client.js';
import { SEED_HEADERS, injectFetch, startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';

const engines = await testEngines();

describe.each(engines)('REST API on %s', (engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(engine, { testPaymentSuccess: true });
  });
  afterAll(async () => gw?.close());

  const newOrder = async (amount = 50000) => {
    const res = await gw.call('POST', '/api/v1/orders', { amount, currency: 'INR', receipt: 'receipt_123' });
    expect(res.status).toBe(201);
    return res.body as { id: string; amount: number };
  };
  // tRPC over real HTTP through inject-backed fetch
  const fetchViaInject: typeof fetch = (input, init) => injectFetch(gw)(input, init); // gw is set in beforeAll
  const paidPayment = async (amount = 50000) => {
    const order = await newOrder(amount);
    const created = await gw.call('POST', '/api/v1/payments', { order_id: order.id, method: 'upi', vpa: 'success@paygate' });
    expect(created.status).toBe(201);
    await expect.poll(async () => (await gw.call('GET', `/api/v1/payments/${created.body.id}`)).body.status).toBe('success');
    return created.body as { id: string };
  };

  it("answers the seed README's order, payment and status examples with the documented shapes", async () => {
    // Given the seed's order request
    const order = await gw.call('POST', '/api/v1/orders', { amount: 50000, currency: 'INR', receipt: 'receipt_123' });
    // Then the documented order shape
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ amount: 50000, currency: 'INR', receipt: 'receipt_123', status: 'created' });
    expect(order.body.id).toMatch(/^order_[0-9A-Za-z]{16}$/);
    expect(new Date(order.body.created_at).toISOString()).toBe(order.body.created_at);

    // When the seed's payment request runs, with its Idempotency-Key
    const payment = await gw.call(
      'POST',
      '/api/v1/payments',
      { order_id: order.body.id, method: 'upi', vpa: 'user@paytm' },
      { ...SEED_HEADERS, 'idempotency-key': `unique_request_id_${engine}` },
    );
    // Then it is pending at once, with the documented fields
    expect(payment.status).toBe(201);
    expect(payment.body).toMatchObject({ order_id: order.body.id, amount: 50000, currency: 'INR', method: 'upi', vpa: 'user@paytm', status: 'pending' });
    expect(payment.body.id).toMatch(/^pay_[0-9A-Za-z]{16}$/);
    // (written by the payment's own JSON writer, not Fastify's: the same type and fields, in order)
    expect(payment.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.keys(payment.body as object)).toEqual([
      ...['id', 'entity', 'order_id', 'amount', 'currency', 'method', 'vpa', 'status', 'error_code', 'error_description'],
      ...['captured', 'amount_refunded', 'refundable_amount', 'created_at', 'updated_at'],
    ]);
    // (the very payment its payment.created event carries: the answer is that snapshot's text)
    const events = await gw.call('GET', `/api/v1/events?payment_id=${payment.body.id}&limit=100`);
    const created = (events.body.data as Array<{ event: string; data: { payment: unknown } }>).find((e) => e.event === 'payment.created');
    expect(created?.data.payment).toEqual(payment.body);

    // And the status endpoint reports it, then its success (test mode), and the order is paid
    const status = await gw.call('GET', `/api/v1/payments/${payment.body.id}`);
    expect(status.status).toBe(200);
    expect(status.body.id).toBe(payment.body.id);
    await expect.poll(async () => (await gw.call('GET', `/api/v1/payments/${payment.body.id}`)).body.status).toBe('success');
    expect((await gw.call('GET', `/api/v1/orders/${order.body.id}`)).body.status).toBe('paid');
  });

  it('creates exactly one payment from 20 concurrent requests with one Idempotency-Key', async () => {
    const order = await newOrder();
    const body = {
      order_id: order.id,
      method: 'card',
      card: { number: '4111 1111 1111 1111', expiry_month: '12', expiry_year: '2035', cvv: '123', name: 'A Shopper' },
    };
    const headers = { ...SEED_HEADERS, 'idempotency-key': `concurrent-${engine}` };
    const results = await Promise.all(Array.from({ length: 20 }, () => gw.call('POST', '/api/v1/payments', body, headers)));

    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of results) expect([201, 409]).toContain(r.status);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('IDEMPOTENCY_IN_FLIGHT_ERROR');
    const list = await gw.call('GET', `/api/v1/payments?order_id=${order.id}`);
    expect(list.body.total).toBe(1);

    // A later retry replays the stored response, marked as such
    const replay = await gw.call('POST', '/api/v1/payments', body, headers);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(created[0]!.body.id);
  });

  it('rejects the same Idempotency-Key with a different body (422), and stores nothing for a rejected request', async () => {
    const headers = { ...SEED_HEADERS, 'idempotency-key': `reuse-${engine}` };
    // A request that fails validation stores nothing...
    const bad = await gw.call('POST', '/api/v1/orders', { amount: -5, currency: 'INR' }, headers);
    expect(bad.status).toBe(400);
    // ...so the corrected retry with the same key works
    const good = await gw.call('POST', '/api/v1/orders', { amount: 500, currency: 'INR' }, headers);
    expect(good.status).toBe(201);
    const other = await gw.call('POST', '/api/v1/orders', { amount: 501, currency: 'INR' }, headers);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED_ERROR');
    const tooLong = await gw.call('POST', '/api/v1/orders', { amount: 500, currency: 'INR' }, { ...SEED_HEADERS, 'idempotency-key': 'k'.repeat(256) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.field).toBe('Idempotency-Key');
  });

  it('keeps 10 concurrent partial refunds within the payment amount', async () => {
    const payment = await paidPayment(10000);
    // Ten refunds of 1500 each: only six fit in 10000
    const results = await Promise.all(
      Array.from({ length: 10 }, () => gw.call('POST', `/api/v1/payments/${payment.id}/refunds`, { amount: 1500, reason: 'race' })),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(6);
    for (const r of refused) {
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({
        code: 'BAD_REQUEST_ERROR',
        field: 'amount',
        description: 'The refund amount is greater than the amount left to refund',
      });
    }
    const after = await gw.call('GET', `/api/v1/payments/${payment.id}`);
    expect(after.body.amount_refunded).toBe(9000);
    expect(after.body.refundable_amount).toBe(1000);
    const refunds = await gw.call('GET', `/api/v1/payments/${payment.id}/refunds?limit=100`);
    expect(refunds.body.data.reduce((n: number, r: { amount: number }) => n + r.amount, 0)).toBe(9000);

    // The rest as a full refund (no amount), then nothing is left
    const full = await gw.call('POST', `/api/v1/payments/${payment.id}/refunds`, {});
    expect(full.status).toBe(201);
    expect(full.body.amount).toBe(1000);
    const none = await gw.call('POST', `/api/v1/payments/${payment.id}/refunds`, { amount: 1 });
    expect(none.status).toBe(400);
    await expect.poll(async () => (await gw.call('GET', `/api/v1/refunds/${full.body.id}`)).body.status).toBe('processed');
  });

  it('captures only the whole amount, by the same rule on REST and tRPC', async () => {
    const asSeed = createPaygateClient({
      baseUrl: 'http://gateway.test',
      apiKey: SEED_HEADERS['x-api-key'],
      apiSecret: SEED_HEADERS['x-api-secret'],
      fetch: fetchViaInject,
    });
    const partial = {
      code: 'BAD_REQUEST_ERROR',
      field: 'amount',
      description: 'amount must equal the payment amount (3000); partial capture is not supported.',
    };

    const viaRest = await paidPayment(3000);
    const restPartial = await gw.call('POST', `/api/v1/payments/${viaRest.id}/capture`, { amount: 2999 });
    expect([restPartial.status, restPartial.body.error]).toEqual([400, expect.objectContaining(partial)]);
    const restWhole = await gw.call('POST', `/api/v1/payments/${viaRest.id}/capture`, { amount: 3000 });
    expect([restWhole.status, restWhole.body.captured]).toEqual([200, true]);

    const viaTrpc = await paidPayment(3000);
    await expect(asSeed.payments.capture.mutate({ id: viaTrpc.id, amount: 2999 })).rejects.toMatchObject({ data: { httpStatus: 400, paygate: partial } });
    expect((await asSeed.payments.get.query({ id: viaTrpc.id })).captured).toBe(false);
    expect((await asSeed.payments.capture.mutate({ id: viaTrpc.id, amount: 3000 })).captured).toBe(true);
  });

  it("gives merchant B a 404 for every one of merchant A's resources (REST, tRPC, checkout)", async () => {
    const payment = await paidPayment(2000);
    const refund = (await gw.call('POST', `/api/v1/payments/${payment.id}/refunds`, { amount: 100 })).body as { id: string };
    const orderId = (await gw.call('GET', `/api/v1/payments/${payment.id}`)).body.order_id as string;
    const b = (await gw.call('POST', '/api/v1/test/merchants', { name: 'B', email: `b-${engine}@example.com` }, {})).body;
    const bHeaders = { 'x-api-key': b.api_key, 'x-api-secret': b.api_secret };

    for (const url of [
      `/api/v1/orders/${orderId}`,
      `/api/v1/payments/${payment.id}`,
      `/api/v1/refunds/${refund.id}`,
      `/api/v1/payments/${payment.id}/refunds`,
    ]) {
      const res = await gw.call('GET', url, undefined, bHeaders);
      expect(res.status, url).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND_ERROR');
      expect(JSON.stringify(res.body)).not.toContain('"amount"');
    }
    for (const [url, body] of [
      [`/api/v1/payments/${payment.id}/refunds`, { amount: 1 }],
      [`/api/v1/payments/${payment.id}/capture`, undefined],
      ['/api/v1/payments', { order_id: orderId, method: 'upi', vpa: 'xy@upi' }],
    ] as const) {
      const res = await gw.call('POST', url, body, bHeaders);
      expect(res.status, url).toBe(404);
    }
    // B's list shows none of A's payments
    expect((await gw.call('GET', '/api/v1/payments', undefined, bHeaders)).body.total).toBe(0);

    // Checkout, with B's key only
    for (const url of [`/api/v1/checkout/orders/${orderId}`, `/api/v1/checkout/payments/${payment.id}`]) {
      const res = await gw.call('GET', url, undefined, { 'x-api-key': b.api_key });
      expect(res.status, url).toBe(404);
    }

    // tRPC over real HTTP through inject-backed fetch
    const asB = createPaygateClient({ baseUrl: 'http://gateway.test', apiKey: b.api_key, apiSecret: b.api_secret, fetch: fetchViaInject });
    const asA = createPaygateClient({
      baseUrl: 'http://gateway.test',
      apiKey: SEED_HEADERS['x-api-key'],
      apiSecret: SEED_HEADERS['x-api-secret'],
      fetch: fetchViaInject,
    });
    expect((await asA.payments.get.query({ id: payment.id })).id).toBe(payment.id);
    for (const call of [
      () => asB.payments.get.query({ id: payment.id }),
      () => asB.orders.get.query({ id: orderId }),
      () => asB.refunds.get.query({ id: refund.id }),
      () => asB.refunds.create.mutate({ payment_id: payment.id, refund: { amount: 1 } }),
    ]) {
      await expect(call()).rejects.toMatchObject({ data: { httpStatus: 404, paygate: { code: 'NOT_FOUND_ERROR' } } });
    }
    await expect(asB.orders.create.mutate({ amount: -1, currency: 'INR' } as never)).rejects.toMatchObject({
      data: { httpStatus: 400, paygate: { code: 'BAD_REQUEST_ERROR', field: 'amount' } },
    });
  });

  it('requires credentials and names the problem', async () => {
    const none = await gw.call('GET', '/api/v1/orders', undefined, {});
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('AUTHENTICATION_ERROR');
    const wrong = await gw.call('GET', '/api/v1/orders', undefined, { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'nope' });
    expect(wrong.status).toBe(401);
    // The checkout takes the key alone, and not a wrong one
    expect((await gw.call('GET', '/api/v1/checkout/orders/order_0000000000000000', undefined, { 'x-api-key': 'key_test_abc123' })).status).toBe(404);
    expect((await gw.call('GET', '/api/v1/checkout/orders/order_0000000000000000', undefined, { 'x-api-key': 'key_nope' })).status).toBe(401);
  });

  it('never stores a card number or CVV', async () => {
    const order = await newOrder();
    const pan = '5555555555554444';
    const res = await gw.call('POST', '/api/v1/payments', {
      order_id: order.id,
      method: 'card',
      card: { number: pan, expiry_month: 12, expiry_year: 2034, cvv: '987', name: 'Card Holder' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ card_network: 'mastercard', card_last4: '4444' });
    expect(JSON.stringify(res.body)).not.toContain(pan);
    // Every text column of every table, as text
    const tables = (await gw.deps.db.raw<{ rows: { tablename: string }[] }>("select tablename from pg_tables where schemaname = 'public'")).rows;
    let scanned = 0;
    for (const { tablename } of tables) {
      const rows = (await gw.deps.db.raw<{ rows: { t: string }[] }>(`select t::text as t from "${tablename}" t`)).rows;
      scanned += rows.length;
      for (const r of rows) {
        expect(r.t).not.toContain(pan);
        // Quoted tokens only: random ids and base64 secrets can't contain a quote, so they can't collide.
        expect(r.t).not.toContain('"cvv"');
        expect(r.t).not.toContain('"987"');
      }
    }
    expect(scanned).toBeGreaterThan(0);
    // And no column exists that could hold them
    const columns = (
      await gw.deps.db.raw<{ rows: { column_name: string }[] }>("select column_name from information_schema.columns where table_schema = 'public'")
    ).rows;
    expect(columns.map((c) => c.column_name).filter((n) => /cvv|card_number|pan$/i.test(n))).toEqual([]);
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect((await gw.call('GET', '/health', undefined, {})).body).toEqual({ status: 'ok' });
    const ready = await gw.call('GET', '/ready', undefined, {});
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', queue: 'ok' });
    // A payment made between two scrapes counts once in the second.
    const createdUpi = async () => {
      const metrics = await gw.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toContain('# TYPE paygate_payments_created_total counter');
      return Number(/^paygate_payments_created_total\{method="upi"\} (\d+)$/m.exec(metrics.body)?.[1] ?? 0);
    };
    const before = await createdUpi();
    const order = await gw.call('POST', '/api/v1/orders', { amount: 1000, currency: 'INR' });
    expect((await gw.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' })).status).toBe(201);
    expect(await createdUpi()).toBe(before + 1);
    const doc = await gw.call('GET', '/openapi.json', undefined, {});
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/payments/{id}/refunds');
    expect(doc.body.paths['/api/v1/orders'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('amount');
    const page = await gw.app.inject({ method: 'GET', url: '/docs' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/api/v1/orders');
  });
});

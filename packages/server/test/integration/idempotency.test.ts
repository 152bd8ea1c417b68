import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantRow } from '../../src/db/tables.js';
import { beginIdempotentRequest, IN_FLIGHT_LEASE_MS } from '../../src/services/idempotency.js';
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
    const n = await gw.deps.db('idempotency_keys')
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
    const body = { amount: 4400, currency: 'INR' };
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
});

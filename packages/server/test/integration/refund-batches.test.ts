import { createHmac } from 'node:crypto';
import { verifyWebhook } from '@paygate/webhook-verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processPayments } from '../../src/services/payments.js';
import { processRefunds } from '../../src/services/refunds.js';
import { runWorkers } from '../../src/workers/run-workers.js';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';
import { startReceiver } from '../helpers/receiver.js';

const engines = await testEngines();

/** DESIGN.md's magic card: the payment succeeds, every refund of it fails. */
const REFUNDS_FAIL_CARD = '4000 0000 0000 5126';
const SEED_WEBHOOK_SECRET = 'whsec_test_abc123';
const card = (number: string) => ({ number, expiry_month: 12, expiry_year: 2035, cvv: '123', name: 'A Shopper' });

/** Sum of the `paygate_batch_items` histogram for one batch kind: [batches, items]. */
function batchStats(metricsText: string, batch: string): { batches: number; items: number } {
  const value = (suffix: string) => Number(new RegExp(`^paygate_batch_items_${suffix}\\{batch="${batch}"\\} (\\d+)`, 'm').exec(metricsText)?.[1] ?? 0);
  return { batches: value('count'), items: value('sum') };
}

type Envelope = {
  id: string;
  event: string;
  sequence: number;
  data: { payment?: { id: string }; refund?: { id: string; payment_id: string; status: string } };
};

describe.each(engines)('refunds settle in batches on %s', (engine) => {
  const PAYMENTS = 30;
  const REFUNDS_PER_PAYMENT = 4;
  let gw: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    // No workers at first: the refund jobs pile up in the queue, as they do behind a busy worker.
    gw = await startTestGateway(engine, {}, 'api');
    receiver = await startReceiver();
    expect((await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url })).status).toBe(200);
  });
  afterAll(async () => {
    await gw?.close();
    await receiver?.close();
  });

  it('a burst of refunds, several per payment, settles with fewer statements than refunds; statuses, ledger, events and sequences are right', async () => {
    // Given successful payments, every third one made with the card whose refunds fail
    const failsRefunds = (i: number) => i % 3 === 0;
    const payments: string[] = [];
    for (let i = 0; i < PAYMENTS; i += 1) {
      const order = await gw.call('POST', '/api/v1/orders', { amount: 1000, currency: 'INR' });
      const body = failsRefunds(i)
        ? { order_id: order.body.id, method: 'card', card: card(REFUNDS_FAIL_CARD) }
        : { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' };
      const payment = await gw.call('POST', '/api/v1/payments', body);
      expect(payment.status).toBe(201);
      payments.push(payment.body.id);
    }
    expect(await processPayments(gw.deps, payments)).toBe(PAYMENTS);

    // When refunds of every payment are asked for all at once
    const created = await Promise.all(
      payments.flatMap((id) => Array.from({ length: REFUNDS_PER_PAYMENT }, (_, k) => gw.call('POST', `/api/v1/payments/${id}/refunds`, { amount: 100 + k }))),
    );
    expect(created.map((c) => c.status)).toEqual(Array(PAYMENTS * REFUNDS_PER_PAYMENT).fill(201));
    // ... and a worker takes them from the queue (more than one job's worth: batches run side by side)
    const workers = runWorkers(gw.deps, { concurrency: 4 });
    try {
      const settledCount = async () => Number((await gw.deps.db('refunds').whereNot({ status: 'pending' }).count({ n: '*' }))[0]!.n);
      await expect.poll(settledCount, { timeout: 20_000, interval: 100 }).toBe(PAYMENTS * REFUNDS_PER_PAYMENT);
      await expect
        .poll(() => receiver.received.filter((r) => r.event === 'refund.processed' || r.event === 'refund.failed').length, { timeout: 20_000, interval: 100 })
        .toBe(PAYMENTS * REFUNDS_PER_PAYMENT);
    } finally {
      await workers.stop(2_000);
    }

    // Then each refund has its outcome, each payment its ledger, and each payment's events a
    // gap-free sequence, however its refunds fell into batches
    for (const [i, id] of payments.entries()) {
      const fails = failsRefunds(i);
      const refunds = (await gw.call('GET', `/api/v1/payments/${id}/refunds?limit=100`)).body.data as Array<{ status: string; amount: number }>;
      expect(refunds.map((r) => r.status)).toEqual(Array(REFUNDS_PER_PAYMENT).fill(fails ? 'failed' : 'processed'));
      const payment = (await gw.call('GET', `/api/v1/payments/${id}`)).body;
      const refunded = fails ? 0 : refunds.reduce((sum, r) => sum + r.amount, 0);
      expect([payment.amount_refunded, payment.refundable_amount]).toEqual([refunded, 1000 - refunded]);

      const events = (await gw.deps.db('events').where({ payment_id: id }).select('type', 'sequence')) as Array<{ type: string; sequence: number }>;
      const sequences = events.map((e) => e.sequence).sort((a, b) => a - b);
      expect(sequences).toEqual(Array.from({ length: 3 + 2 * REFUNDS_PER_PAYMENT }, (_, k) => k + 1));
      expect(events.filter((e) => e.type === (fails ? 'refund.failed' : 'refund.processed'))).toHaveLength(REFUNDS_PER_PAYMENT);
    }
    // Every settlement event was delivered exactly once, with its refund's final status
    const outcomes = receiver.received.filter((r) => r.event === 'refund.processed' || r.event === 'refund.failed').map((r) => JSON.parse(r.body) as Envelope);
    expect(new Set(outcomes.map((e) => e.id)).size).toBe(outcomes.length);
    expect(new Set(outcomes.map((e) => e.data.refund!.id)).size).toBe(PAYMENTS * REFUNDS_PER_PAYMENT);
    for (const e of outcomes) expect(e.data.refund!.status).toBe(e.event === 'refund.failed' ? 'failed' : 'processed');

    // And they went together: fewer settlement statements than refunds
    const metrics = (await gw.app.inject({ method: 'GET', url: '/metrics' })).body;
    const { batches, items } = batchStats(metrics, 'refund_settlement');
    expect(items).toBe(PAYMENTS * REFUNDS_PER_PAYMENT);
    expect(batches).toBeLessThan(PAYMENTS * REFUNDS_PER_PAYMENT);
  });
});

describe.each(engines)('refund settlement raced on pending rows, on %s', (engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    // No workers: the test settles the refunds itself.
    gw = await startTestGateway(engine, {}, 'api');
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('the same pending refunds settled twice at once are settled once, with one event each and gap-free sequences', async () => {
    // Given pending refunds of two payments, one of which refunds fail
    const payments: string[] = [];
    for (const body of [
      { method: 'upi', vpa: 'success@paygate' },
      { method: 'card', card: card(REFUNDS_FAIL_CARD) },
    ]) {
      const order = await gw.call('POST', '/api/v1/orders', { amount: 1000, currency: 'INR' });
      payments.push((await gw.call('POST', '/api/v1/payments', { order_id: order.body.id, ...body })).body.id);
    }
    expect(await processPayments(gw.deps, payments)).toBe(2);
    const refunds: string[] = [];
    for (const id of payments) for (let k = 0; k < 3; k += 1) refunds.push((await gw.call('POST', `/api/v1/payments/${id}/refunds`, { amount: 100 })).body.id);

    // When two workers settle all of them at the same moment
    const settled = await Promise.all([processRefunds(gw.deps, refunds), processRefunds(gw.deps, refunds)]);

    // Then each refund was settled once, its payment's ledger and events are right
    expect(settled[0] + settled[1]).toBe(refunds.length);
    for (const [i, id] of payments.entries()) {
      const events = (await gw.deps.db('events').where({ payment_id: id }).select('type', 'sequence')) as Array<{ type: string; sequence: number }>;
      expect(events.map((e) => e.sequence).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(events.filter((e) => e.type === (i === 0 ? 'refund.processed' : 'refund.failed'))).toHaveLength(3);
      const payment = (await gw.call('GET', `/api/v1/payments/${id}`)).body;
      expect(payment.amount_refunded).toBe(i === 0 ? 300 : 0);
    }
  });
});

describe.each(engines)('a refund that fails, end to end on %s', (engine) => {
  let gw: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    gw = await startTestGateway(engine);
    receiver = await startReceiver();
    expect((await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url })).status).toBe(200);
  });
  afterAll(async () => {
    await gw?.close();
    await receiver?.close();
  });

  it(`${REFUNDS_FAIL_CARD}: the payment succeeds, its refund fails with refund.failed delivered, and the amount is released`, async () => {
    // Given a successful payment by the magic card
    const order = await gw.call('POST', '/api/v1/orders', { amount: 1000, currency: 'INR' });
    const created = await gw.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'card', card: card(REFUNDS_FAIL_CARD) });
    expect(created.status).toBe(201);
    const paymentId = created.body.id as string;
    await expect.poll(async () => (await gw.call('GET', `/api/v1/payments/${paymentId}`)).body.status, { timeout: 10_000, interval: 50 }).toBe('success');

    // When a partial refund is asked for
    const refund = await gw.call('POST', `/api/v1/payments/${paymentId}/refunds`, { amount: 300 });
    expect(refund.status).toBe(201);
    expect(refund.body.status).toBe('pending');

    // Then it fails, refund.failed reaches the merchant after refund.created, and the payment
    // can be refunded in full again
    await expect.poll(async () => (await gw.call('GET', `/api/v1/refunds/${refund.body.id}`)).body.status, { timeout: 10_000, interval: 50 }).toBe('failed');
    await expect.poll(() => receiver.received.some((r) => r.event === 'refund.failed'), { timeout: 10_000, interval: 50 }).toBe(true);
    const mine = receiver.received
      .map((r) => JSON.parse(r.body) as Envelope)
      .filter((e) => e.event.startsWith('refund.'))
      .map((e) => [e.event, e.sequence, e.data.refund!.id, e.data.refund!.status]);
    expect(mine).toEqual([
      ['refund.created', 4, refund.body.id, 'pending'],
      ['refund.failed', 5, refund.body.id, 'failed'],
    ]);
    // ... signed exactly as every delivery: Standard Webhooks and the seed's snippet both verify it
    const failed = receiver.received.find((r) => r.event === 'refund.failed')!;
    await expect(verifyWebhook(failed.body, failed.headers as Record<string, string>, SEED_WEBHOOK_SECRET)).resolves.toMatchObject({
      event: 'refund.failed',
      data: { refund: { id: refund.body.id, payment_id: paymentId, status: 'failed', amount: 300 } },
    });
    expect(failed.headers['x-webhook-signature']).toBe(
      createHmac('sha256', SEED_WEBHOOK_SECRET)
        .update(JSON.stringify(JSON.parse(failed.body)))
        .digest('hex'),
    );
    // ... and the delivery log records it as delivered
    await expect
      .poll(
        async () =>
          ((await gw.call('GET', '/api/v1/webhooks?limit=100')).body.data as Array<{ event: string; status: string }>).find((d) => d.event === 'refund.failed')
            ?.status,
        {
          timeout: 10_000,
          interval: 50,
        },
      )
      .toBe('success');
    const payment = (await gw.call('GET', `/api/v1/payments/${paymentId}`)).body;
    expect([payment.status, payment.amount_refunded, payment.refundable_amount]).toEqual(['success', 0, 1000]);
    const again = await gw.call('POST', `/api/v1/payments/${paymentId}/refunds`, {});
    expect([again.status, again.body.amount]).toEqual([201, 1000]);
  });
});

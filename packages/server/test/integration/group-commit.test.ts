import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@paygate/core';
import { SEED_MERCHANT } from '../../src/services/merchants.js';
import type { OrderRow } from '../../src/model/rows.js';
import { processPayments } from '../../src/services/payments.js';
import { SEED_HEADERS, deliverQueuedWebhooks, startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';
import { startReceiver } from '../helpers/receiver.js';

const engines = await testEngines();
const BURST = 40;

/** Sum of the `paygate_batch_items` histogram for one batch kind: [batches, items]. */
function batchStats(metricsText: string, batch: string): { batches: number; items: number } {
  const value = (suffix: string) => Number(new RegExp(`^paygate_batch_items_${suffix}\\{batch="${batch}"\\} (\\d+)`, 'm').exec(metricsText)?.[1] ?? 0);
  return { batches: value('count'), items: value('sum') };
}

describe.each(engines)('group commit on %s', (engine) => {
  let gw: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    gw = await startTestGateway(engine);
    receiver = await startReceiver();
    const config = await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url });
    expect(config.status).toBe(200);
  });
  afterAll(async () => {
    await gw?.close();
    await receiver?.close();
  });

  it('a burst of payments shares statements, and each payment still gets its own outcome, events and webhooks exactly once', async () => {
    // Orders made by another API process, as far as this one knows (written straight to the
    // database): it has not seen them, so every payment reads its order, and those reads are
    // among what this test expects to go together.
    const now = new Date();
    const orders = Array.from({ length: BURST }, (_, i) => ({
      body: { id: newId('order') },
      row: { amount: 1000 + i, currency: 'INR', receipt: `burst-${i}`, status: 'created', notes: {}, created_at: now, updated_at: now },
    }));
    await gw.deps.db('orders').insert(orders.map((o) => ({ id: o.body.id, merchant_id: SEED_MERCHANT.id, ...o.row })));
    // Every other payment is declined by its magic VPA: a batch mixes outcomes.
    const vpaOf = (i: number) => (i % 2 === 0 ? 'success@paygate' : 'failure@paygate');
    const created = await Promise.all(orders.map((o, i) => gw.call('POST', '/api/v1/payments', { order_id: o.body.id, method: 'upi', vpa: vpaOf(i) })));
    expect(created.map((c) => c.status)).toEqual(Array(BURST).fill(201));
    expect(new Set(created.map((c) => c.body.id)).size).toBe(BURST);
    created.forEach((c, i) => expect(c.body).toMatchObject({ order_id: orders[i]!.body.id, amount: 1000 + i, status: 'pending' }));

    // created + pending + the outcome, for every payment
    await expect.poll(() => receiver.received.length, { timeout: 20_000, interval: 100 }).toBe(BURST * 3);
    const ids = receiver.received.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length); // no event delivered twice

    for (const [i, c] of created.entries()) {
      const payment = (await gw.call('GET', `/api/v1/payments/${c.body.id}`)).body;
      const order = (await gw.call('GET', `/api/v1/orders/${orders[i]!.body.id}`)).body;
      const success = i % 2 === 0;
      expect(payment.status).toBe(success ? 'success' : 'failed');
      expect(order.status).toBe(success ? 'paid' : 'attempted');
      const mine = receiver.received
        .map((r) => JSON.parse(r.body) as { event: string; sequence: number; data: { payment: { id: string; status: string } } })
        .filter((e) => e.data.payment.id === c.body.id)
        .sort((a, b) => a.sequence - b.sequence);
      expect(mine.map((e) => [e.event, e.sequence])).toEqual([
        ['payment.created', 1],
        ['payment.pending', 2],
        [success ? 'payment.success' : 'payment.failed', 3],
      ]);
      expect(mine[2]!.data.payment.status).toBe(payment.status);
    }

    // Every delivery is logged once, delivered on its first attempt.
    const log = await gw.call('GET', '/api/v1/webhooks?limit=100&offset=0');
    const all = [log, await gw.call('GET', '/api/v1/webhooks?limit=100&offset=100')].flatMap(
      (l) => l.body.data as Array<{ status: string; attempts: number; attempt_log: Array<{ status_code: number }> }>,
    );
    expect(all).toHaveLength(BURST * 3);
    for (const d of all) expect([d.status, d.attempts, d.attempt_log.map((a) => a.status_code)]).toEqual(['success', 1, [200]]);

    // And they really went together: fewer statements than payments, for each kind of batch.
    const metrics = (await gw.app.inject({ method: 'GET', url: '/metrics' })).body;
    for (const kind of ['order_lookup', 'payment_insert', 'payment_settlement']) {
      const { batches, items } = batchStats(metrics, kind);
      expect(items, kind).toBe(BURST);
      expect(batches, kind).toBeLessThan(BURST);
    }
  });

  it('a burst of orders shares INSERT statements; each order is its own row, and one whose idempotency reference clashes fails alone', async () => {
    const before = batchStats((await gw.app.inject({ method: 'GET', url: '/metrics' })).body, 'order_insert');
    const created = await Promise.all(
      Array.from({ length: BURST }, (_, i) => gw.call('POST', '/api/v1/orders', { amount: 2000 + i, currency: 'INR', receipt: `orders-burst-${i}` })),
    );
    expect(created.map((c) => c.status)).toEqual(Array(BURST).fill(201));
    expect(new Set(created.map((c) => c.body.id)).size).toBe(BURST);
    for (const [i, c] of created.entries()) {
      expect(c.body).toMatchObject({ amount: 2000 + i, receipt: `orders-burst-${i}`, status: 'created' });
      expect((await gw.call('GET', `/api/v1/orders/${c.body.id}`)).body).toMatchObject({ id: c.body.id, amount: 2000 + i });
    }
    const after = batchStats((await gw.app.inject({ method: 'GET', url: '/metrics' })).body, 'order_insert');
    expect(after.items - before.items).toBe(BURST);
    expect(after.batches - before.batches).toBeLessThan(BURST);

    // Straight to the store: two new orders with the same idempotency reference in one burst. The
    // shared statement fails on the unique index; each is retried alone, so only one of them fails.
    const now = new Date();
    const row = (i: number, ref: string): OrderRow => ({
      id: newId('order'),
      merchant_id: SEED_MERCHANT.id,
      amount: 3000 + i,
      currency: 'INR',
      receipt: null,
      notes: null,
      status: 'created',
      created_at: now,
      updated_at: now,
      idempotency_ref: ref,
    });
    const clash = `clash-${engine}-${Date.now()}`;
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map((i) => gw.deps.paymentStore.insertOrder(row(i, i === 1 || i === 2 ? clash : `ref-${engine}-${Date.now()}-${i}`))),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { amount: 3000 } });
    expect(results[3]).toMatchObject({ status: 'fulfilled', value: { amount: 3003 } });
  });

  it("a burst of orders with Idempotency-Keys shares the key records' statements; each key replays its own order, and one sent twice at once creates one", async () => {
    // Every statement on the key records during the burst, by what it does
    const statements: string[] = [];
    const onQuery = (q: { sql: string }) => {
      if (/idempotency_keys/.test(q.sql)) statements.push(q.sql.trim().split(/\s+/, 1)[0]!.toUpperCase());
    };
    gw.deps.db.on('query', onQuery);
    const tag = `${engine}-${Date.now()}`;
    const keyOf = (i: number) => `burst-${tag}-${i}`;
    const bodyOf = (i: number) => ({ amount: 4000 + i, currency: 'INR', receipt: `keyed-${i}` });
    // The last request repeats the first's key and body, in the same burst
    const sent = [...Array.from({ length: BURST }, (_, i) => i), 0];
    const created = await Promise.all(sent.map((i) => gw.call('POST', '/api/v1/orders', bodyOf(i), { ...SEED_HEADERS, 'idempotency-key': keyOf(i) }))).finally(
      () => gw.deps.db.off('query', onQuery),
    );

    expect(created.slice(1, BURST).map((c) => c.status)).toEqual(Array(BURST - 1).fill(201));
    // Key 0 twice at once: one ran, the other was told it is in flight or replayed it
    const twice = [created[0]!, created[BURST]!];
    expect(twice.filter((c) => c.status === 201 && c.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    for (const c of twice) expect([201, 409]).toContain(c.status);
    const rows = await gw.deps.db('orders').where({ merchant_id: SEED_MERCHANT.id, receipt: 'keyed-0', amount: 4000 });
    expect(rows).toHaveLength(1);

    // Fewer claims and completions than requests: they went in batches
    const claims = statements.filter((s) => s === 'INSERT').length;
    const completions = statements.filter((s) => s === 'UPDATE').length;
    expect(claims).toBeGreaterThan(0);
    expect(claims).toBeLessThan(BURST);
    expect(completions).toBeGreaterThan(0);
    expect(completions).toBeLessThan(BURST);

    // Each key replays its own order, stored by the batched completion
    for (const i of [1, 7, BURST - 1]) {
      const again = await gw.call('POST', '/api/v1/orders', bodyOf(i), { ...SEED_HEADERS, 'idempotency-key': keyOf(i) });
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(created[i]!.body);
    }
  });

  it('the same pending payments settled by two batches at once: each settles once, with one outcome and one webhook', async () => {
    // Role `api`: no worker settles them first, so both batches race on rows that are pending.
    const api = await startTestGateway(engine, {}, 'api');
    const webhooks = deliverQueuedWebhooks(api);
    const racedReceiver = await startReceiver();
    try {
      expect((await api.call('PUT', '/api/v1/webhooks/config', { webhook_url: racedReceiver.url, events: ['payment.success', 'payment.failed'] })).status).toBe(
        200,
      );
      const orders = await Promise.all(Array.from({ length: BURST }, (_, i) => api.call('POST', '/api/v1/orders', { amount: 1000 + i, currency: 'INR' })));
      const vpaOf = (i: number) => (i % 2 === 0 ? 'success@paygate' : 'failure@paygate');
      const created = await Promise.all(orders.map((o, i) => api.call('POST', '/api/v1/payments', { order_id: o.body.id, method: 'upi', vpa: vpaOf(i) })));
      const ids = created.map((c) => c.body.id as string);
      expect(created.map((c) => c.body.status)).toEqual(Array(BURST).fill('pending'));

      const settled = await Promise.all([processPayments(api.deps, ids), processPayments(api.deps, [...ids].reverse())]);
      expect(settled[0] + settled[1]).toBe(BURST);
      for (const [i, id] of ids.entries()) expect((await api.call('GET', `/api/v1/payments/${id}`)).body.status).toBe(i % 2 === 0 ? 'success' : 'failed');

      // One outcome webhook per payment, never two; and settling again changes nothing.
      await expect.poll(() => racedReceiver.received.length, { timeout: 15_000, interval: 50 }).toBe(BURST);
      const about = racedReceiver.received.map((r) => (JSON.parse(r.body) as { data: { payment: { id: string } } }).data.payment.id);
      expect(new Set(about).size).toBe(BURST);
      const before = (await api.call('GET', '/api/v1/payments?limit=100&offset=0')).body.data;
      expect(await Promise.all([processPayments(api.deps, ids), processPayments(api.deps, ids)])).toEqual([0, 0]);
      expect((await api.call('GET', '/api/v1/payments?limit=100&offset=0')).body.data).toEqual(before);
      expect(racedReceiver.received).toHaveLength(BURST);
    } finally {
      await webhooks.close(5_000);
      await api.close();
      await racedReceiver.close();
    }
  });
});

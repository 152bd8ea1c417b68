import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, testEngines, type TestGateway } from '../../../test/helpers/gateway.js';
import { createTemporaryDatabase, POSTGRES_ADMIN_URL } from '../../../test/helpers/services.js';
import { createDatabase } from './create-database.js';
import { functionNameOf, isKeptPlanned } from './operations/plan-cached.js';
import { keepPaymentPathPlanned, PAYMENT_PATH_PLANNED } from './payment-path-plans.js';

const engines = await testEngines();

describe.each(engines)("the payment path's statements on %s", (engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(engine);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('are kept planned by a gateway that migrates on start, each by a function of its own version', async () => {
    expect(PAYMENT_PATH_PLANNED.map((s) => s.name)).toEqual([
      'paygate_insert_payments',
      'paygate_insert_payments_leased',
      'paygate_settle_payments',
      'paygate_settle_payments_leased',
      'paygate_record_delivery_attempts',
      'paygate_claim_relay_work',
    ]);
    for (const statement of PAYMENT_PATH_PLANNED) expect(await isKeptPlanned(gw.deps.db, statement)).toBe(true);
    const created = await gw.deps.db('pg_proc').where('proname', 'like', 'paygate\\_%').pluck<string>('proname');
    expect(created.sort()).toEqual(PAYMENT_PATH_PLANNED.map((s) => functionNameOf(s)).sort());
  });

  it('settle a payment through them as the API contract says: once, and its order paid', async () => {
    const order = await gw.call('POST', '/api/v1/orders', { amount: 4200, currency: 'INR', receipt: 'plans' });
    expect(order.status).toBe(201);
    const payment = await gw.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' });
    expect(payment.status).toBe(201);
    await expect.poll(async () => (await gw.call('GET', `/api/v1/payments/${payment.body.id}`)).body.status).toBe('success');
    expect((await gw.call('GET', `/api/v1/orders/${order.body.id}`)).body.status).toBe('paid');
    const events = await gw.deps.db('events').where({ type: 'payment.success' }).pluck<string>('id');
    expect(events).toHaveLength(1);
  });
});

describe.skipIf(!engines.includes('postgres'))("the payment path's statements, for a PostgreSQL role without CREATE on the schema", () => {
  it('runs the statements as written for a role that may not create in the schema, and says to run `pg-cli migrate`', async () => {
    const temp = await createTemporaryDatabase();
    const role = `paygate_test_no_create_${Math.random().toString(36).slice(2, 8)}`;
    const owner = createDatabase({ kind: 'postgres', url: temp.url });
    const url = new URL(temp.url);
    url.username = role;
    const restricted = createDatabase({ kind: 'postgres', url: url.toString() });
    try {
      await owner.raw(`CREATE ROLE ${role} LOGIN`);
      await owner.raw(`REVOKE CREATE ON SCHEMA public FROM PUBLIC, ${role}`);
      const warnings: string[] = [];
      expect(await keepPaymentPathPlanned(restricted, { create: true, warn: (message) => warnings.push(message) })).toBe(false);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/permission denied for schema public/);
      expect(warnings[0]).toContain('`pg-cli migrate`');
    } finally {
      await restricted.destroy();
      await owner.destroy();
      await temp.drop();
      const admin = createDatabase({ kind: 'postgres', url: POSTGRES_ADMIN_URL });
      await admin.raw(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.destroy());
    }
  });
});

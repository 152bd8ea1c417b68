import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/ports/clock.js';
import { createInProcessQueue } from '../../src/adapters/queue/in-process.js';
import type { JobQueue, QueueName } from '../../src/ports/job-queue.js';
import { SEED_MERCHANT } from '../../src/services/merchants.js';
import { createRelay } from '../../src/services/relay.js';
import { runWorkers } from '../../src/workers/run-workers.js';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';

const engines = await testEngines();

/** A queue that only records what it is given. */
function recordingQueue(): JobQueue & { ids: (name: QueueName) => string[] } {
  const queued: Array<{ name: QueueName; ids: string[] }> = [];
  const queue = createInProcessQueue();
  return {
    ...queue,
    async enqueue(name, ids) {
      queued.push({ name, ids: [...ids] });
    },
    ids: (name) => queued.filter((q) => q.name === name).flatMap((q) => q.ids),
  };
}

/** The gateway clock of a worker whose system clock runs `lagMs` behind everyone else's. */
const laggingClock = (clock: Clock, lagMs: number): Clock => ({
  now: () => new Date(clock.now().getTime() - lagMs),
  realNow: () => new Date(clock.realNow().getTime() - lagMs),
  offsetMs: () => clock.offsetMs(),
});

describe.each(engines)('relay sweep on %s', (engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    // No workers here: the test drives the relay itself.
    gw = await startTestGateway(engine, {}, 'api');
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('keeps sweeping while any kind of work still fills a page, whatever the others return', async () => {
    // Given more lost payments than one page holds (500), and one lost refund and one due webhook retry besides
    const order = await gw.call('POST', '/api/v1/orders', { amount: 1000, currency: 'INR' });
    expect(order.status).toBe(201);
    const longAgo = new Date(Date.now() - 3_600_000);
    await gw.deps.db.raw(
      `INSERT INTO payments (id, merchant_id, order_id, amount, currency, method, vpa, status, decided_status, process_after, enqueued_at,
                             event_sequence, created_at, updated_at)
       SELECT 'pay_lost' || lpad(n::text, 12, '0'), ?, ?, 1000, 'INR', 'upi', 'success@paygate', 'pending', 'success', ?, NULL, 2, ?, ?
         FROM generate_series(1, 501) AS n`,
      [SEED_MERCHANT.id, order.body.id, longAgo, longAgo, longAgo],
    );
    await gw.deps.db.raw(
      `INSERT INTO refunds (id, merchant_id, payment_id, amount, currency, status, process_after, enqueued_at, created_at, updated_at)
       VALUES ('rfnd_lost000000000001', ?, 'pay_lost000000000001', 100, 'INR', 'pending', ?, NULL, ?, ?)`,
      [SEED_MERCHANT.id, longAgo, longAgo, longAgo],
    );

    await gw.deps.db.raw(
      `INSERT INTO events (id, merchant_id, type, payment_id, sequence, data, created_at)
       VALUES ('evt_due0000000000001', ?, 'payment.success', 'pay_lost000000000001', 3, '{}'::jsonb, ?)`,
      [SEED_MERCHANT.id, longAgo],
    );
    await gw.deps.db.raw(
      `INSERT INTO webhook_logs (id, merchant_id, event_id, event, status, attempts, next_attempt_at, enqueued_at, created_at, updated_at)
       VALUES ('whd_due0000000000001', ?, 'evt_due0000000000001', 'payment.success', 'pending', 1, ?, NULL, ?, ?)`,
      [SEED_MERCHANT.id, longAgo, longAgo, longAgo],
    );

    // When one sweep runs
    const queue = recordingQueue();
    await createRelay({ ...gw.deps, queue }).sweep();

    // Then every lost payment, the refund and the retry are queued again, each on its own queue, not just the first page
    expect(new Set(queue.ids('payments')).size).toBe(501);
    expect(queue.ids('payments').every((id) => id.startsWith('pay_lost'))).toBe(true);
    expect(queue.ids('refunds')).toEqual(['rfnd_lost000000000001']);
    expect(queue.ids('deliveries')).toEqual(['whd_due0000000000001']);
  });
});

describe.each(engines)('a due payment is always settled, on %s', (engine) => {
  let gw: TestGateway;
  beforeAll(async () => {
    // The relay must not be what rescues the payment here: its stale window is out of reach.
    gw = await startTestGateway(engine, { relayStaleMs: 600_000, testProcessingDelayMs: 1_000 }, 'api');
  });
  afterAll(async () => {
    await gw?.close();
  });

  async function newPayment(): Promise<string> {
    const order = await gw.call('POST', '/api/v1/orders', { amount: 5000, currency: 'INR' });
    const payment = await gw.call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' });
    expect(payment.status).toBe(201);
    return payment.body.id as string;
  }
  const statusOf = async (id: string) => (await gw.call('GET', `/api/v1/payments/${id}`)).body.status as string;

  it('a worker whose clock lags a minute behind settles the payment when its job comes', async () => {
    // Given a payment whose job is waiting in the queue, and a worker whose clock runs behind
    const id = await newPayment();
    const workers = runWorkers({ ...gw.deps, clock: laggingClock(gw.deps.clock, 60_000) }, { concurrency: 2 });
    try {
      // Then it is settled once its job comes (after the processing delay), not a stale window later
      await expect.poll(() => statusOf(id), { timeout: 10_000, interval: 100 }).toBe('success');
    } finally {
      await workers.stop(1_000);
    }
  });

  it('a job that comes before the payment is due is queued again for its due time, and the payment is settled then', async () => {
    // Given a payment not due for a second, and a worker on a queue of its own that gets the
    // payment's id at once (a job that fires early; the original job waits elsewhere, unserved)
    const id = await newPayment();
    const queue = createInProcessQueue();
    const workers = runWorkers({ ...gw.deps, queue }, { concurrency: 2 });
    try {
      await queue.enqueue('payments', [id]);
      // Then it is settled once due, by the job the early one left behind
      await expect.poll(() => statusOf(id), { timeout: 10_000, interval: 100 }).toBe('success');
    } finally {
      await workers.stop(1_000);
    }
  });
});

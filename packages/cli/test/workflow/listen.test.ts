import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, spawnCli, startDevGateway, startVerifyingReceiver, type CliProcess } from './harness.js';

type ForwardLine = { type: 'forward'; event: string; id: string; attempt: number; outcome: string; status_code: number | null };

/** Every payment event, by payment id, in the order a receiver got them. */
const paymentEventsAt = (received: Array<{ body: string; status: number }>, paymentId: string) =>
  received
    .filter((r) => r.status === 200)
    .map((r) => JSON.parse(r.body) as { event: string; data: { payment?: { id: string } } })
    .filter((e) => e.data.payment?.id === paymentId)
    .map((e) => e.event)
    .sort();
const ALL_PAYMENT_EVENTS = ['payment.created', 'payment.pending', 'payment.success'];

// The built bin against a real `pg-cli dev --test-mode` the test starts (and restarts).
describe('pg-cli listen --forward-to', () => {
  let gateway: Awaited<ReturnType<typeof startDevGateway>>;
  let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;
  let listen: CliProcess | undefined;
  /** What the receiver answers a forward of a given event id: scripted per test step. */
  let answer: (id: string, n: number) => number = () => 200;
  /** The secret the receiver verifies with (the merchant's, rotated below). */
  let receiverSecret: string = SEED.webhookSecret;
  const dataHome = mkdtempSync(join(tmpdir(), 'pg-cli-listen-data-'));

  const startListen = async () => {
    const p = spawnCli(['listen', '--forward-to', receiver.url, '--json'], { PAYGATE_API_URL: gateway.url, XDG_DATA_HOME: dataHome });
    await p.waitForLine(/Ready/);
    return p;
  };
  const forwards = () => (listen?.stdout ?? []).map((l) => JSON.parse(l) as { type: string }).filter((l): l is ForwardLine => l.type === 'forward');
  const pay = async () => {
    const order = await gateway.api('POST', '/api/v1/orders', { amount: 50_000, currency: 'INR' });
    const payment = await gateway.api('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' });
    expect(payment.status).toBe(201);
    return payment.body.id as string;
  };

  beforeAll(async () => {
    gateway = await startDevGateway();
    receiver = await startVerifyingReceiver(
      () => receiverSecret,
      (_n, r) => (r.standardVerified && r.seedVerified ? answer(r.id, receiver.of(r.id).length + 1) : 401),
    );
  }, 90_000);
  afterAll(async () => {
    await listen?.stop('SIGKILL');
    await gateway?.stop();
    await receiver?.close();
  });

  it('forwards every event signed both ways, retries a 500 until 200, survives a gateway restart and its own', async () => {
    // Given listen, subscribed
    listen = await startListen();

    // When a payment's events come and the receiver answers the first event 500 twice
    let first: string | undefined;
    answer = (id, n) => ((first ??= id) === id && n <= 2 ? 500 : 200);
    const a = await pay();
    await expect.poll(() => paymentEventsAt(receiver.received, a), { timeout: 20_000 }).toContain('payment.success');
    // ... the test gaps (5 s, then 10 s) run on the gateway clock, which the test moves on
    await expect
      .poll(
        async () => {
          await gateway.api('POST', '/api/v1/test/clock/advance', { seconds: 10 });
          return receiver.of(first!).map((r) => r.status);
        },
        { timeout: 20_000, interval: 500 },
      )
      .toEqual([500, 500, 200]);

    // Then every forward verified with @paygate/webhook-verify and with the seed's snippet
    expect(paymentEventsAt(receiver.received, a)).toEqual(ALL_PAYMENT_EVENTS);
    expect(receiver.received.every((r) => r.standardVerified && r.seedVerified)).toBe(true);
    // ... and listen printed one line per attempt: retrying twice, then delivered
    await expect
      .poll(() =>
        forwards()
          .filter((f) => f.id === first)
          .map((f) => [f.attempt, f.outcome, f.status_code]),
      )
      .toEqual([
        [1, 'retrying', 500],
        [2, 'retrying', 500],
        [3, 'delivered', 200],
      ]);

    // When the gateway is restarted while a payment settles, and another comes after
    answer = () => 200;
    const b = await pay();
    await gateway.restart();
    await listen.waitForLine(/"type":"reconnected"/, 30_000);
    const c = await pay();

    // Then no event is missed
    await expect.poll(() => paymentEventsAt(receiver.received, b), { timeout: 30_000 }).toEqual(ALL_PAYMENT_EVENTS);
    await expect.poll(() => paymentEventsAt(receiver.received, c), { timeout: 30_000 }).toEqual(ALL_PAYMENT_EVENTS);
    expect(listen.stderr.join('\n') + listen.stdout.join('\n')).toContain('"type":"disconnected"');

    // When the receiver fails a payment's events, listen is stopped (Ctrl-C) before it retries,
    // and more events happen while it is down
    answer = () => 503;
    const d = await pay();
    await expect.poll(() => receiver.received.filter((r) => r.status === 503).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    expect(await listen.stop('SIGINT')).toBe(0);
    answer = () => 200;
    const e = await pay();

    // Then the restarted listen delivers what it had not, and what happened meanwhile
    listen = await startListen();
    await expect.poll(() => paymentEventsAt(receiver.received, d), { timeout: 30_000 }).toEqual(ALL_PAYMENT_EVENTS);
    await expect.poll(() => paymentEventsAt(receiver.received, e), { timeout: 30_000 }).toEqual(ALL_PAYMENT_EVENTS);
    expect(receiver.received.every((r) => r.standardVerified && r.seedVerified)).toBe(true);

    // When the merchant rotates the webhook secret and the receiver verifies with the new one only
    const rotated = await gateway.api('POST', '/api/v1/webhooks/secret/regenerate');
    receiverSecret = rotated.body.webhook_secret as string;
    const f = await pay();

    // Then its events arrive signed with the new secret: read again when a receiver refuses the old
    // one (401: listen says so and signs again at once), or when the one listen holds is 30 s old
    await expect.poll(() => paymentEventsAt(receiver.received, f), { timeout: 30_000 }).toEqual(ALL_PAYMENT_EVENTS);
    const refused = receiver.received.filter((r) => r.status === 401).length;
    expect(listen.stdout.filter((l) => l.includes('"type":"secret_changed"')).length).toBe(refused > 0 ? 1 : 0);

    // ... each event delivered once (200), whatever was retried or replayed around the restarts
    const delivered = receiver.received.filter((r) => r.status === 200);
    expect(new Set(delivered.map((r) => r.id)).size).toBe(delivered.length);
    expect(delivered.every((r) => r.standardVerified && r.seedVerified)).toBe(true);
  }, 180_000);
});

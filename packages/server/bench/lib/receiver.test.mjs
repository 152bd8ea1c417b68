import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Pool } from './http1-pool.mjs';
import { startReceiver, WEBHOOK_SECRET } from './receiver.mjs';

// Webhooks posted over keep-alive connections, as the gateway's sender posts them: the receiver
// must verify each signature, tell the driver of each payment.success, and count what is wrong.
describe("the bench's webhook receiver", () => {
  let receiver;
  let pool;
  afterEach(async () => {
    pool?.close();
    await receiver?.close();
  });

  const webhook = (event, id, updatedAt = '2026-12-05T14:00:00.123Z') =>
    JSON.stringify({ event, data: { payment: { id, updated_at: updatedAt, note: 'ünïcode' } } });
  const sign = (body, secret = WEBHOOK_SECRET) => createHmac('sha256', secret).update(body).digest('hex');
  const send = (body, signature) =>
    pool.request('POST', new URL(receiver.url).pathname, `content-type: application/json\r\nx-webhook-signature: ${signature}\r\n`, body);

  it('resolves a payment’s arrival once its signed payment.success came, before or after the driver asks', async () => {
    receiver = await startReceiver();
    pool = new Http1Pool(receiver.url, 2);
    const waiting = receiver.arrival('pay_late');
    expect(receiver.pending()).toBe(1);
    const early = webhook('payment.success', 'pay_early');
    const late = webhook('payment.success', 'pay_late', '2026-12-05T14:00:01.000Z');
    const answers = await Promise.all([send(early, sign(early)), send(late, sign(late))]);
    expect(answers.map((a) => [a.status, a.body])).toEqual([
      [200, 'OK'],
      [200, 'OK'],
    ]);
    expect(typeof (await waiting)).toBe('number');
    expect(typeof (await receiver.arrival('pay_early'))).toBe('number');
    expect(receiver.pending()).toBe(0);
    expect(receiver.settledAt('pay_late')).toBe(Date.parse('2026-12-05T14:00:01.000Z'));
    expect(receiver.counts).toMatchObject({ received: 2, bad_signatures: 0, duplicates: 0 });
  });

  it('counts a bad signature and a second delivery of the same event, and waits for neither', async () => {
    receiver = await startReceiver();
    pool = new Http1Pool(receiver.url, 1);
    const body = webhook('payment.success', 'pay_1');
    await send(body, sign(body, 'whsec_someone_else'));
    expect(receiver.counts).toMatchObject({ received: 0, bad_signatures: 1 });
    await send(body, sign(body));
    await send(body, sign(body));
    const pending = webhook('payment.pending', 'pay_1');
    await send(pending, sign(pending));
    expect(receiver.counts).toMatchObject({ received: 2, bad_signatures: 1, duplicates: 1, connections: 1 });
  });
});

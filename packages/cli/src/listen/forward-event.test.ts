import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@paygate/webhook-verify';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardEvent } from './forward-event.js';

const SECRET = 'whsec_test_abc123';
const envelope = {
  id: 'evt_AbCdEfGhIjKlMnOp',
  event: 'payment.success',
  timestamp: '2026-11-29T12:00:00.000Z',
  sequence: 3,
  data: { payment: { id: 'pay_AbCdEfGhIjKlMnOp', amount: 50000, currency: 'INR', status: 'success' } },
};
const body = JSON.stringify(envelope);

type Hit = { headers: IncomingHttpHeaders; body: string };
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A real receiver on loopback answering `status` (and `headers`); what it received. */
async function receiver(status: number, headers: Record<string, string> = {}, hang = false) {
  const hits: Hit[] = [];
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      hits.push({ headers: req.headers, body: text });
      if (!hang) res.writeHead(status, headers).end(status < 300 ? 'OK' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, hits };
}

describe('forwardEvent', () => {
  it('signs as a real delivery: @paygate/webhook-verify and the seed snippet both verify it', async () => {
    const r = await receiver(200);
    const outcome = await forwardEvent({ url: r.url, eventId: envelope.id, body, secret: SECRET });
    expect(outcome).toMatchObject({ ok: true, statusCode: 200, error: null, responseExcerpt: 'OK' });
    const [hit] = r.hits;
    expect(hit!.body).toBe(body);
    await expect(verifyWebhook(hit!.body, hit!.headers, SECRET)).resolves.toMatchObject({ id: envelope.id, event: 'payment.success' });
    // The seed README's snippet: hex HMAC-SHA256 of JSON.stringify(req.body) with the secret
    expect(hit!.headers['x-webhook-signature']).toBe(
      createHmac('sha256', SECRET)
        .update(JSON.stringify(JSON.parse(hit!.body)))
        .digest('hex'),
    );
    expect(hit!.headers['webhook-id']).toBe(envelope.id);
    expect(hit!.headers['content-type']).toBe('application/json');
    // ... and a receiver holding another secret refuses it
    await expect(verifyWebhook(hit!.body, hit!.headers, 'whsec_test_other')).rejects.toMatchObject({ reason: 'no_matching_signature' });
  });

  it('counts a non-2xx answer as a failure and reads Retry-After', async () => {
    const r = await receiver(503, { 'retry-after': '30' });
    expect(await forwardEvent({ url: r.url, eventId: envelope.id, body, secret: SECRET })).toMatchObject({
      ok: false,
      statusCode: 503,
      error: null,
      retryAfterMs: 30_000,
    });
  });

  it('does not follow a redirect', async () => {
    const r = await receiver(302, { location: 'http://127.0.0.1:1/elsewhere' });
    expect(await forwardEvent({ url: r.url, eventId: envelope.id, body, secret: SECRET })).toMatchObject({ ok: false, statusCode: 302 });
    expect(r.hits).toHaveLength(1);
  });

  it('names a receiver that is not there, and one that does not answer in time', async () => {
    const r = await receiver(200);
    const url = r.url;
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    expect(await forwardEvent({ url, eventId: envelope.id, body, secret: SECRET })).toMatchObject({ ok: false, statusCode: null, error: 'ECONNREFUSED' });

    const hanging = await receiver(200, {}, true);
    expect(await forwardEvent({ url: hanging.url, eventId: envelope.id, body, secret: SECRET, timeoutMs: 200 })).toMatchObject({
      ok: false,
      statusCode: null,
      error: 'timeout after 200 ms',
    });
  });
});

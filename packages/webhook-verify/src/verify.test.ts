import { describe, expect, it } from 'vitest';
import { STANDARD_WEBHOOKS_BAD_SIGNATURES, STANDARD_WEBHOOKS_DECOYS, STANDARD_WEBHOOKS_VECTOR, coreVectors, vectorHeaders } from '../test/helpers/vectors.js';
import { referenceSign } from '../test/helpers/reference-signer.js';
import { EVENT, NOW, NOW_SECONDS, OLD_SECRET, SECRET, validRequest, verificationError, without } from '../test/helpers/request.js';
import { WebhookVerificationError } from './errors.js';
import { verifyWebhook, verifyWebhookSignature } from './verify.js';

const vectors = coreVectors();

describe('shared vectors (packages/core/fixtures/signature-vectors.json)', () => {
  it.each(vectors.standardWebhooks)('verifies the v1 vector "$name"', async (vector) => {
    const result = await verifyWebhookSignature(vector.body, vectorHeaders(vector), vector.secret, {
      now: vector.timestamp * 1000,
    });
    expect(result).toEqual({ scheme: 'v1', id: vector.id, timestamp: vector.timestamp, secretIndex: 0, body: vector.body });
  });

  it.each(vectors.standardWebhooks)('refuses the v1 vector "$name" with one body byte changed', async (vector) => {
    const tampered = vector.body.replace(/\d/, (digit) => String((Number(digit) + 1) % 10));
    const error = await verificationError(verifyWebhookSignature(tampered, vectorHeaders(vector), vector.secret, { now: vector.timestamp * 1000 }));
    expect(error.reason).toBe('no_matching_signature');
  });

  it.each(vectors.legacy)('verifies the legacy vector "$name" when legacy is on', async (vector) => {
    const result = await verifyWebhookSignature(vector.body, { 'X-Webhook-Signature': vector.signature }, vector.secret, {
      legacy: true,
    });
    expect(result).toEqual({ scheme: 'legacy', secretIndex: 0, body: vector.body });
  });

  it('returns the typed event for the vectors that are Paygate events', async () => {
    const [payment, refund] = vectors.standardWebhooks;
    const paymentEvent = await verifyWebhook(payment!.body, vectorHeaders(payment!), payment!.secret, { now: payment!.timestamp * 1000 });
    const refundEvent = await verifyWebhook(refund!.body, vectorHeaders(refund!), refund!.secret, { now: refund!.timestamp * 1000 });
    expect(paymentEvent.event).toBe('payment.success');
    expect(paymentEvent.event === 'payment.success' && paymentEvent.data.payment.amount).toBe(50000);
    expect(refundEvent.event === 'refund.processed' && refundEvent.data.refund.id).toBe('rfnd_Zx9Kq2Lm4Np6Rs8T');
  });
});

describe('published Standard Webhooks vectors', () => {
  const vector = STANDARD_WEBHOOKS_VECTOR;
  const now = vector.timestamp * 1000;

  it('verifies the reference vector with and without the whsec_ prefix', async () => {
    for (const secret of [vector.secret, vector.secret.slice('whsec_'.length)]) {
      const result = await verifyWebhookSignature(vector.body, vectorHeaders(vector), secret, { now });
      expect(result.scheme === 'v1' && result.id).toBe(vector.id);
    }
  });

  it('finds the valid signature among decoys and unknown versions', async () => {
    const header = [STANDARD_WEBHOOKS_DECOYS[0], STANDARD_WEBHOOKS_DECOYS[1], vector.signature, STANDARD_WEBHOOKS_DECOYS[0]].join(' ');
    const result = await verifyWebhookSignature(vector.body, { ...vectorHeaders(vector), 'webhook-signature': header }, vector.secret, { now });
    expect(result.secretIndex).toBe(0);
  });

  it.each(STANDARD_WEBHOOKS_BAD_SIGNATURES)('refuses the bad signature %j', async (signature) => {
    const error = await verificationError(
      verifyWebhookSignature(vector.body, { ...vectorHeaders(vector), 'webhook-signature': signature }, vector.secret, { now }),
    );
    expect(['no_matching_signature', 'invalid_header']).toContain(error.reason);
  });

  it('parses the body only when it is a Paygate event', async () => {
    const error = await verificationError(verifyWebhook(vector.body, vectorHeaders(vector), vector.secret, { now }));
    expect(error.reason).toBe('invalid_payload');
    expect(error.hint).toContain('verifyWebhookSignature');
  });
});

describe('one valid request, one thing broken at a time', () => {
  it('accepts the unbroken request and returns the event', async () => {
    // Given a delivery signed by the reference signer
    const { body, headers, secret } = validRequest();
    // When it is verified
    const event = await verifyWebhook(body, headers, secret, { now: NOW });
    // Then the parsed event comes back
    expect(event).toEqual(EVENT);
  });

  it('tampered body → no_matching_signature', async () => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(body.replace('50000', '5000000'), headers, secret, { now: NOW }));
    expect(error.reason).toBe('no_matching_signature');
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error.status).toBe(400);
  });

  it('wrong secret → no_matching_signature', async () => {
    const { body, headers } = validRequest();
    const error = await verificationError(verifyWebhook(body, headers, OLD_SECRET, { now: NOW }));
    expect(error.reason).toBe('no_matching_signature');
    expect(error.hint).toContain('Tried 1 secret(s) against 1 v1 signature(s)');
  });

  it('tampered webhook-id → no_matching_signature (the id is signed)', async () => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(body, { ...headers, 'webhook-id': 'evt_other' }, secret, { now: NOW }));
    expect(error.reason).toBe('no_matching_signature');
  });

  it('tampered webhook-timestamp within tolerance → no_matching_signature (the timestamp is signed)', async () => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(body, { ...headers, 'webhook-timestamp': String(NOW_SECONDS + 1) }, secret, { now: NOW }));
    expect(error.reason).toBe('no_matching_signature');
  });

  it('timestamp older than the tolerance → timestamp_too_old, and the edge itself still passes', async () => {
    const { body, headers, secret } = validRequest({ timestamp: NOW_SECONDS - 300 });
    await expect(verifyWebhook(body, headers, secret, { now: NOW })).resolves.toMatchObject({ id: EVENT.id });
    const error = await verificationError(verifyWebhook(body, headers, secret, { now: NOW.getTime() + 1000 }));
    expect(error.reason).toBe('timestamp_too_old');
    expect(error.hint).toContain('301 s behind');
  });

  it('timestamp further ahead than the tolerance → timestamp_in_future, and the edge itself still passes', async () => {
    const { body, headers, secret } = validRequest({ timestamp: NOW_SECONDS + 300 });
    await expect(verifyWebhook(body, headers, secret, { now: NOW })).resolves.toMatchObject({ id: EVENT.id });
    const error = await verificationError(verifyWebhook(body, headers, secret, { now: NOW.getTime() - 1000 }));
    expect(error.reason).toBe('timestamp_in_future');
  });

  it('a custom tolerance applies', async () => {
    const { body, headers, secret } = validRequest({ timestamp: NOW_SECONDS - 10 });
    const error = await verificationError(verifyWebhook(body, headers, secret, { now: NOW, toleranceSeconds: 5 }));
    expect(error.reason).toBe('timestamp_too_old');
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('missing %s → missing_header naming it', async (name) => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(body, without(headers, name), secret, { now: NOW }));
    expect(error.reason).toBe('missing_header');
    expect(error.hint).toContain(`Missing ${name}`);
  });

  it('an empty header counts as missing', async () => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(body, { ...headers, 'webhook-id': '' }, secret, { now: NOW }));
    expect(error.reason).toBe('missing_header');
  });

  it('no headers at all → missing_header', async () => {
    const { body, secret } = validRequest();
    const error = await verificationError(verifyWebhook(body, {}, secret, { now: NOW }));
    expect(error.reason).toBe('missing_header');
    expect(error.hint).toContain('None of webhook-id');
  });

  it.each([
    ['1705314665000', 'milliseconds'],
    ['abc', 'unix seconds'],
    ['-1', 'unix seconds'],
    ['1705314665.5', 'unix seconds'],
  ])('webhook-timestamp %j → invalid_header', async (timestamp, hint) => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(body, { ...headers, 'webhook-timestamp': timestamp }, secret, { now: NOW }));
    expect(error.reason).toBe('invalid_header');
    expect(error.hint).toContain(hint);
  });

  it('a webhook-signature with no versioned entry → invalid_header', async () => {
    const { body, headers, secret } = validRequest();
    const hex = headers['x-webhook-signature'] as string;
    const error = await verificationError(verifyWebhook(body, { ...headers, 'webhook-signature': hex }, secret, { now: NOW }));
    expect(error.reason).toBe('invalid_header');
  });

  it('a webhook-signature with only unknown versions → invalid_header that says so', async () => {
    const { body, headers, secret } = validRequest();
    const v2 = (headers['webhook-signature'] as string).replace('v1,', 'v2,');
    const error = await verificationError(verifyWebhook(body, { ...headers, 'webhook-signature': v2 }, secret, { now: NOW }));
    expect(error.reason).toBe('invalid_header');
    expect(error.hint).toContain('no v1 entry');
  });

  it('a v1 entry that is not base64 → no_matching_signature that counts it', async () => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(body, { ...headers, 'webhook-signature': 'v1,not*base64' }, secret, { now: NOW }));
    expect(error.reason).toBe('no_matching_signature');
    expect(error.hint).toContain('1 v1 signature(s) were not valid base64');
  });

  it('webhook-id sent twice with different values → invalid_header', async () => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(
      verifyWebhook(body, { ...headers, 'webhook-id': [EVENT.id, 'evt_other'] } as Record<string, string | string[]>, secret, { now: NOW }),
    );
    expect(error.reason).toBe('invalid_header');
  });
});

describe('secret rotation', () => {
  it('accepts a delivery signed with both secrets, given either one', async () => {
    const { body, headers } = validRequest({ secrets: [SECRET, OLD_SECRET] });
    expect((await verifyWebhookSignature(body, headers, SECRET, { now: NOW })).secretIndex).toBe(0);
    expect((await verifyWebhookSignature(body, headers, OLD_SECRET, { now: NOW })).secretIndex).toBe(0);
  });

  it('accepts a delivery signed only with the old secret when given [new, old], and reports which matched', async () => {
    const { body, headers } = validRequest({ secrets: [OLD_SECRET] });
    const result = await verifyWebhookSignature(body, headers, [SECRET, OLD_SECRET], { now: NOW });
    expect(result.secretIndex).toBe(1);
  });

  it('accepts a delivery signed only with the new secret when given [new, old]', async () => {
    const { body, headers } = validRequest({ secrets: [SECRET] });
    const result = await verifyWebhookSignature(body, headers, [SECRET, OLD_SECRET], { now: NOW });
    expect(result.secretIndex).toBe(0);
  });

  it('refuses once the old secret is dropped and the delivery has only the old signature', async () => {
    const { body, headers } = validRequest({ secrets: [OLD_SECRET] });
    const error = await verificationError(verifyWebhook(body, headers, [SECRET], { now: NOW }));
    expect(error.reason).toBe('no_matching_signature');
  });
});

describe('legacy X-Webhook-Signature', () => {
  const legacyOnly = () => {
    const { body, headers, secret } = validRequest();
    return { body, secret, headers: { 'x-webhook-signature': headers['x-webhook-signature'] as string } };
  };

  it('is refused by default, with a hint that names the option and its risk', async () => {
    const { body, headers, secret } = legacyOnly();
    const error = await verificationError(verifyWebhook(body, headers, secret, { now: NOW }));
    expect(error.reason).toBe('missing_header');
    expect(error.hint).toContain('{ legacy: true }');
    expect(error.hint).toContain('no replay protection');
  });

  it('is accepted with legacy: true', async () => {
    const { body, headers, secret } = legacyOnly();
    await expect(verifyWebhook(body, headers, secret, { legacy: true })).resolves.toEqual(EVENT);
  });

  it('with legacy: true, a wrong legacy signature → no_matching_signature', async () => {
    const { body, headers, secret } = legacyOnly();
    const error = await verificationError(verifyWebhook(body, headers, OLD_SECRET, { legacy: true }));
    expect(error.reason).toBe('no_matching_signature');
    expect(error.hint).toContain('legacy X-Webhook-Signature');
    expect(secret).not.toBe(OLD_SECRET);
  });

  it('with legacy: true, a legacy header that is not hex → invalid_header', async () => {
    const { body, secret } = legacyOnly();
    const error = await verificationError(verifyWebhook(body, { 'x-webhook-signature': 'sha256=zz' }, secret, { legacy: true }));
    expect(error.reason).toBe('invalid_header');
  });

  it('never rescues a failed v1 check: a replayed body with fresh headers stays refused', async () => {
    // Given a valid legacy signature, and Standard headers whose timestamp was changed
    const { body, headers, secret } = validRequest();
    const replayed = { ...headers, 'webhook-timestamp': String(NOW_SECONDS + 60) };
    // When verified with legacy on, Then the v1 failure stands
    const error = await verificationError(verifyWebhook(body, replayed, secret, { now: NOW, legacy: true }));
    expect(error.reason).toBe('no_matching_signature');
  });
});

describe('header shapes', () => {
  it('accepts a Fetch Headers object', async () => {
    const { body, headers, secret } = validRequest();
    await expect(verifyWebhook(body, new Headers(headers), secret, { now: NOW })).resolves.toEqual(EVENT);
  });

  it('matches header names case-insensitively in plain objects', async () => {
    const { body, headers, secret } = validRequest();
    const shouted = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]));
    await expect(verifyWebhook(body, shouted, secret, { now: NOW })).resolves.toEqual(EVENT);
  });

  it("accepts array values as in Node's headersDistinct", async () => {
    const { body, headers, secret } = validRequest();
    const distinct = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
    await expect(verifyWebhook(body, distinct, secret, { now: NOW })).resolves.toEqual(EVENT);
  });

  it('reads repeated signature headers joined with ", " as Node and Fetch join them', async () => {
    const { body, headers, secret } = validRequest();
    const joined = `${STANDARD_WEBHOOKS_DECOYS[0]}, ${headers['webhook-signature']}`;
    await expect(verifyWebhook(body, { ...headers, 'webhook-signature': joined }, secret, { now: NOW })).resolves.toEqual(EVENT);
  });
});

describe('body shapes', () => {
  it.each([
    ['a Buffer', (body: string) => Buffer.from(body)],
    ['a Uint8Array', (body: string) => new TextEncoder().encode(body)],
    ['an ArrayBuffer', (body: string) => new TextEncoder().encode(body).buffer],
    ['a DataView', (body: string) => new DataView(new TextEncoder().encode(body).buffer)],
  ])('accepts %s', async (_name, toRaw) => {
    const { body, headers, secret } = validRequest();
    await expect(verifyWebhook(toRaw(body) as Uint8Array, headers, secret, { now: NOW })).resolves.toEqual(EVENT);
  });

  it('accepts a subarray view of a larger buffer (only its own bytes count)', async () => {
    const { body, headers, secret } = validRequest();
    const bytes = Buffer.from(`xxxx${body}yyyy`).subarray(4, 4 + Buffer.byteLength(body));
    await expect(verifyWebhook(bytes, headers, secret, { now: NOW })).resolves.toEqual(EVENT);
  });
});

describe('diagnostics', () => {
  it('a parsed object → body_not_raw with the raw-body recipes for Express, Fastify, Next.js and Hono', async () => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(JSON.parse(body) as unknown as string, headers, secret, { now: NOW }));
    expect(error.reason).toBe('body_not_raw');
    expect(error.hint).toContain('already a parsed object');
    expect(error.hint).toContain("express.raw({ type: 'application/json' })");
    expect(error.hint).toContain("parseAs: 'string'");
    expect(error.hint).toContain('await request.text()');
    expect(error.hint).toContain('await c.req.text()');
  });

  it('undefined → body_not_raw that says nothing read the body', async () => {
    const { headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(undefined as unknown as string, headers, secret, { now: NOW }));
    expect(error.reason).toBe('body_not_raw');
    expect(error.hint).toContain('The body is undefined');
  });

  it('a stream → body_not_raw that says to read it', async () => {
    const { headers, secret } = validRequest();
    const stream = new ReadableStream();
    const error = await verificationError(verifyWebhook(stream as unknown as string, headers, secret, { now: NOW }));
    expect(error.hint).toContain('request stream');
  });

  it('a pretty-printed body → says it was re-formatted', async () => {
    const { body, headers, secret } = validRequest();
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    const error = await verificationError(verifyWebhook(pretty, headers, secret, { now: NOW }));
    expect(error.reason).toBe('no_matching_signature');
    expect(error.hint).toContain('not in the compact form Paygate sends');
  });

  it('a trailing newline → says it was re-formatted', async () => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(`${body}\n`, headers, secret, { now: NOW }));
    expect(error.hint).toContain('not in the compact form');
  });

  it('a compact body with the wrong secret → says re-serialization is not the cause', async () => {
    const { body, headers } = validRequest();
    const error = await verificationError(verifyWebhook(body, headers, OLD_SECRET, { now: NOW }));
    expect(error.hint).toContain('parse-and-stringify round trip is not the cause');
  });

  it('"[object Object]" → says an object was stringified', async () => {
    const { headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(String({}), headers, secret, { now: NOW }));
    expect(error.hint).toContain('[object Object]');
  });

  it('an empty body → says a parser consumed it', async () => {
    const { headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook('', headers, secret, { now: NOW }));
    expect(error.hint).toContain('The body is empty');
  });

  it('UTF-8 read as Latin-1 → says so', async () => {
    const body = JSON.stringify({ ...EVENT, note: '₹ 500' });
    const { headers, secret } = validRequest({ body });
    const mangled = Buffer.from(body, 'utf8').toString('latin1');
    const error = await verificationError(verifyWebhook(mangled, headers, secret, { now: NOW }));
    expect(error.hint).toContain('UTF-8 decoded as Latin-1');
  });

  it('a body from another delivery → says the body id and webhook-id differ', async () => {
    const { headers, secret } = validRequest();
    const other = JSON.stringify({ ...EVENT, id: 'evt_SomeOtherEvent00' });
    const error = await verificationError(verifyWebhook(other, headers, secret, { now: NOW }));
    expect(error.hint).toContain('differs from the webhook-id header');
  });

  it('an API credential as the secret → says it is not the webhook secret', async () => {
    const { body, headers } = validRequest();
    const error = await verificationError(verifyWebhook(body, headers, 'secret_test_xyz789', { now: NOW }));
    expect(error.hint).toContain('looks like an API credential');
  });

  it('the message carries the reason and the hint, for logs', async () => {
    const { body, headers } = validRequest();
    const error = await verificationError(verifyWebhook(body, headers, OLD_SECRET, { now: NOW }));
    expect(error.message).toContain('(no_matching_signature)');
    expect(error.message).toContain(error.hint);
    expect(error.name).toBe('WebhookVerificationError');
  });
});

describe('configuration errors', () => {
  it.each([
    ['undefined', undefined, 'undefined, not a string'],
    ['empty', '', 'empty string'],
    ['a trailing newline', `${SECRET}\n`, 'whitespace'],
    ['an empty list', [], 'list of secrets is empty'],
    ['a list with a number', [SECRET, 42], 'Secret #2 is a number'],
  ])('secret %s → invalid_secret', async (_name, secret, hint) => {
    const { body, headers } = validRequest();
    const error = await verificationError(verifyWebhook(body, headers, secret as string, { now: NOW }));
    expect(error.reason).toBe('invalid_secret');
    expect(error.status).toBe(500);
    expect(error.hint).toContain(hint);
  });

  it.each([
    ['negative tolerance', { toleranceSeconds: -1 }],
    ['NaN tolerance', { toleranceSeconds: Number.NaN }],
    ['invalid Date', { now: new Date('nope') }],
    ['now out of Date range', { now: 1e300 }],
    ['string now', { now: '2024-01-01' }],
    ['legacy as a string', { legacy: 'yes' }],
    ['options as a string', 'strict'],
  ])('%s → invalid_options', async (_name, options) => {
    const { body, headers, secret } = validRequest();
    const error = await verificationError(verifyWebhook(body, headers, secret, options as never));
    expect(error.reason).toBe('invalid_options');
  });
});

describe('after a valid signature', () => {
  it.each([
    ['not JSON', 'hello', 'invalid_json'],
    ['a JSON array', '[1,2]', 'invalid_payload'],
    ['JSON null', 'null', 'invalid_payload'],
    ['an object without event', '{"id":"evt_1","data":{}}', 'invalid_payload'],
    ['an object without data', '{"id":"evt_1","event":"payment.success"}', 'invalid_payload'],
  ])('a body that is %s → %s', async (_name, body, reason) => {
    const request = validRequest({ body });
    const error = await verificationError(verifyWebhook(request.body, request.headers, request.secret, { now: NOW }));
    expect(error.reason).toBe(reason);
  });

  it('bytes that are not UTF-8 → invalid_json', async () => {
    const bytes = Uint8Array.from([0x7b, 0xff, 0x7d]);
    const headers = {
      'webhook-id': EVENT.id,
      'webhook-timestamp': String(NOW_SECONDS),
      'webhook-signature': referenceSign({ secret: SECRET, id: EVENT.id, timestamp: NOW_SECONDS, body: bytes }),
    };
    const error = await verificationError(verifyWebhook(bytes, headers, SECRET, { now: NOW }));
    expect(error.reason).toBe('invalid_json');
  });

  it('an event name this version does not know still verifies', async () => {
    const body = JSON.stringify({ ...EVENT, event: 'payment.disputed' });
    const request = validRequest({ body });
    const event = await verifyWebhook(request.body, request.headers, request.secret, { now: NOW });
    expect(event.event as string).toBe('payment.disputed');
  });
});

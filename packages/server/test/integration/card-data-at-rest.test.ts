import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaygateClient } from '../../src/client.js';
import { createLogger } from '../../src/logger.js';
import { canonicalJson } from '../../src/services/idempotency.js';
import { dumpDatabase } from '../helpers/dump-database.js';
import { SEED_HEADERS, injectFetch, startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';

const engines = await testEngines();

// The fingerprint's canonical form (sorted keys): no plain hash of it, nor of the body, may be kept.
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// Cards that appear nowhere else (not the magic 4111… of the error messages), and CVVs of 3 and 4
// digits, searched as whole tokens so a timestamp's milliseconds can't be mistaken for one.
const VISA = { spaced: '4242 4242 4242 4242', cvv: '737' };
const AMEX = { spaced: '3782 822463 10005', cvv: '7391' };
const DECLINED = { spaced: '4000 0000 0000 0002', cvv: '915' };
const CARDS = [VISA, AMEX, DECLINED];
const forms = (spaced: string) => [spaced, spaced.replace(/ /g, ''), spaced.replace(/ /g, '-')];

describe.each(engines)('no card data at rest on %s', (engine) => {
  let gw: TestGateway;
  const logs: string[] = [];
  beforeAll(async () => {
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
    // Debug: the most the gateway ever logs, request lines included.
    gw = await startTestGateway(engine, { testPaymentSuccess: true, logLevel: 'debug' }, 'all', { logger: createLogger('debug', sink) });
  });
  afterAll(async () => gw?.close());

  const cardBody = (orderId: string, card: { spaced: string; cvv: string }, name = 'A Shopper') => ({
    order_id: orderId,
    method: 'card',
    card: { number: card.spaced, expiry_month: '12', expiry_year: '2035', cvv: card.cvv, name },
  });
  const newOrder = async () => (await gw.call('POST', '/api/v1/orders', { amount: 25000, currency: 'INR' })).body.id as string;

  it('keeps neither the card number (in any spacing) nor the CVV, nor a plain hash of a body, in any table or log line', async () => {
    const sent: unknown[] = [];
    const post = async (url: string, body: unknown, key: string) => {
      sent.push(body);
      return gw.call('POST', url, body, { ...SEED_HEADERS, 'idempotency-key': key });
    };

    // Given card payments with Idempotency-Keys: a first request, its replay, and a reuse with another body
    const visaBody = cardBody(await newOrder(), VISA);
    const first = await post('/api/v1/payments', visaBody, `card-visa-${engine}`);
    expect(first.status).toBe(201);
    const replay = await post('/api/v1/payments', visaBody, `card-visa-${engine}`);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    const mismatch = await post('/api/v1/payments', cardBody(visaBody.order_id, AMEX), `card-visa-${engine}`);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED_ERROR');
    // And a 4-digit CVV card, a declined card, and the checkout route
    const amex = await post('/api/v1/payments', cardBody(await newOrder(), AMEX), `card-amex-${engine}`);
    expect(amex.status).toBe(201);
    const declined = await post('/api/v1/payments', cardBody(await newOrder(), DECLINED), `card-declined-${engine}`);
    expect(declined.status).toBe(201);
    const checkoutBody = cardBody(await newOrder(), VISA, 'Checkout Shopper');
    sent.push(checkoutBody);
    const checkout = await gw.call('POST', '/api/v1/checkout/payments', checkoutBody, {
      'x-api-key': SEED_HEADERS['x-api-key'],
      'idempotency-key': `card-checkout-${engine}`,
    });
    expect(checkout.status).toBe(201);
    // And a card payment over tRPC with a key, and its replay
    const fetchViaInject = injectFetch(gw);
    const pg = createPaygateClient({
      baseUrl: 'http://gateway.test',
      apiKey: SEED_HEADERS['x-api-key'],
      apiSecret: SEED_HEADERS['x-api-secret'],
      fetch: fetchViaInject,
    });
    const trpcBody = cardBody(await newOrder(), AMEX, 'tRPC Shopper') as never;
    sent.push(trpcBody);
    const viaTrpc = await pg.payments.create.mutate(trpcBody, { context: { idempotencyKey: `card-trpc-${engine}` } });
    expect((await pg.payments.create.mutate(trpcBody, { context: { idempotencyKey: `card-trpc-${engine}` } })).id).toBe(viaTrpc.id);

    // And a refund of a settled card payment, so its events are written too
    await expect.poll(async () => (await gw.call('GET', `/api/v1/payments/${first.body.id}`)).body.status).toBe('success');
    await expect.poll(async () => (await gw.call('GET', `/api/v1/payments/${declined.body.id}`)).body.status).toBe('failed');
    const refund = await post(`/api/v1/payments/${first.body.id}/refunds`, { amount: 100 }, `card-refund-${engine}`);
    expect(refund.status).toBe(201);

    // When someone reads every row of every table, and every log line
    const dump = await dumpDatabase(gw.deps.db);
    const logText = logs.join('');
    // (the idempotency records are in it, so the check below covers them)
    expect(dump).toContain(`card-visa-${engine}`);
    expect(dump).toContain(`card-checkout-${engine}`);
    expect(dump).toContain(`card-trpc-${engine}`);

    // Then no card number in any form, no CVV, and no plain SHA-256 of any body is there
    for (const [where, text] of [
      ['database', dump],
      ['logs', logText],
    ] as const) {
      const tokens = new Set(text.split(/[^0-9A-Za-z]+/));
      for (const card of CARDS) {
        for (const form of forms(card.spaced)) expect(text.includes(form), `${where} holds ${form}`).toBe(false);
        expect(tokens.has(card.cvv), `${where} holds the CVV ${card.cvv}`).toBe(false);
      }
      // As a whole token (a key, a column, a word): random ids and secrets hold "cVv" now and then.
      expect(
        [...tokens].some((t) => t.toLowerCase() === 'cvv'),
        `${where} names a cvv`,
      ).toBe(false);
      for (const body of sent) {
        for (const hash of [sha256(canonicalJson(body)), sha256(JSON.stringify(body))]) {
          expect(text.includes(hash), `${where} holds a plain SHA-256 of ${JSON.stringify(body)}`).toBe(false);
        }
      }
    }
  });
});

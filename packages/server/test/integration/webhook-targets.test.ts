import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createPaygateClient } from '../../src/client.js';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { createMerchant } from '../../src/services/merchants.js';
import { injectFetch, startTestGateway, testEngines, type Engine } from '../helpers/gateway.js';
import { startReceiver } from '../helpers/receiver.js';
import { createTemporaryDatabase } from '../helpers/services.js';

// Private webhook targets in production: refused when the URL is saved (REST and tRPC) and again
// at connect time (a name can resolve elsewhere later), and no refusal ever names the internal
// address a name resolved to. `localhost` is the DNS name here: it resolves, through the system
// resolver, to a loopback address (no outside network exists on the test machines).

const engines = await testEngines();

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A production gateway (not test mode) on a fresh database, its log lines kept, and one merchant. */
async function productionGateway(engine: Engine) {
  const temp = engine === 'postgres' ? await createTemporaryDatabase() : undefined;
  const logLines: string[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = loadConfig(
    // Production requires the Idempotency-Key fingerprint key; any will do here.
    {
      dataDir: 'memory',
      databaseUrl: temp?.url,
      redisUrl: undefined,
      logLevel: 'info',
      relayIntervalMs: 100,
      idempotencyFingerprintKey: 'webhook-targets-test-fingerprint-key-00',
    },
    {},
  );
  expect(config).toMatchObject({ environment: 'production', testMode: false, allowPrivateWebhookTargets: false });
  const gateway: Gateway = await startGateway(config, { role: 'all', logger: createLogger(config.logLevel, logSink), listen: false });
  cleanups.push(async () => {
    await gateway.stop();
    await temp?.drop();
  });
  const app = gateway.app!;
  const merchant = await createMerchant(gateway.deps, { name: 'Acme', email: 'ops@acme.test' });
  const headers = { 'x-api-key': merchant.api_key, 'x-api-secret': merchant.api_secret };
  const call = async (method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: JSON.parse(res.body) as any };
  };
  const trpc = createPaygateClient({ baseUrl: 'http://gateway.test', apiKey: merchant.api_key, apiSecret: merchant.api_secret, fetch: injectFetch({ app }) });
  return { gateway, merchant, call, trpc, logLines };
}

const PRIVATE_URLS = [
  'http://localhost:4000/webhook',
  'http://LOCALHOST.:4000/webhook',
  'http://127.0.0.1:4000/webhook',
  'http://[::1]:4000/webhook',
  'http://10.1.2.3/webhook',
  'http://169.254.169.254/latest/meta-data',
  'http://[::ffff:127.0.0.1]/webhook',
  'http://[64:ff9b::a00:1]/webhook',
  'http://[2002:7f00:1::1]/webhook',
  'http://224.0.0.1/webhook',
];

describe.each(engines)('webhook targets on %s', (engine) => {
  it('in production, PUT /api/v1/webhooks/config refuses a private target with 400 on webhook_url, saying why, and keeps the old URL', async () => {
    const { call } = await productionGateway(engine);
    // Given a public URL saved (a public literal: it needs no DNS)
    const saved = await call('PUT', '/api/v1/webhooks/config', { webhook_url: 'https://93.184.216.34/hooks' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    for (const url of PRIVATE_URLS) {
      // When a private target is saved
      const res = await call('PUT', '/api/v1/webhooks/config', { webhook_url: url });
      // Then 400 on the field, with the reason, and no resolved address in it
      expect(res.status, url).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'webhook_url' });
      expect(res.body.error.description).toMatch(/private/);
      expect(res.body.error.description).toMatch(/public/);
      if (url.includes('localhost')) expect(res.body.error.description).not.toMatch(/127\.0\.0\.1|::1/);
    }
    // And nothing changed
    expect((await call('GET', '/api/v1/webhooks/config')).body.webhook_url).toBe('https://93.184.216.34/hooks');
  });

  it('in production, the tRPC webhooks.updateConfig refuses a private target the same way', async () => {
    const { trpc, call } = await productionGateway(engine);
    await expect(trpc.webhooks.updateConfig.mutate({ webhook_url: 'http://localhost:4000/webhook' })).rejects.toMatchObject({
      data: { httpStatus: 400, paygate: { code: 'BAD_REQUEST_ERROR', field: 'webhook_url' } },
    });
    const ok = await trpc.webhooks.updateConfig.mutate({ webhook_url: 'https://93.184.216.34/hooks', events: ['payment.success'] });
    expect(ok).toMatchObject({ webhook_url: 'https://93.184.216.34/hooks', events: ['payment.success'] });
    expect((await call('GET', '/api/v1/webhooks/config')).body.webhook_url).toBe('https://93.184.216.34/hooks');
  });

  it('in production, a URL whose name resolves to loopback when the delivery connects is refused, nothing is sent, and neither the attempt nor the log names the address', async () => {
    const { gateway, merchant, call, logLines } = await productionGateway(engine);
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    // Given a URL that passed the save-time check and now resolves to loopback (DNS rebinding:
    // written straight to the row, since the save-time check would rightly refuse it today)
    const port = new URL(receiver.url).port;
    await gateway.deps
      .db('merchants')
      .where({ id: merchant.id })
      .update({ webhook_url: `http://localhost:${port}/webhook` });

    // When a webhook is sent to it
    const sent = await call('POST', '/api/v1/webhooks/test');
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);

    // Then the attempt is logged as refused...
    const firstAttempt = async () => (await call('GET', '/api/v1/webhooks')).body.data?.[0]?.attempt_log?.[0];
    await expect.poll(firstAttempt, { timeout: 15_000 }).toBeDefined();
    const attempt = await firstAttempt();
    expect(attempt.error).toMatch(/^refused: .*private/);
    expect(attempt.status_code ?? null).toBeNull();
    // ...without the resolved address, anywhere
    const everything = JSON.stringify((await call('GET', '/api/v1/webhooks')).body) + logLines.join('');
    expect(everything).not.toMatch(/127\.0\.0\.1|::1\b/);
    // And the receiver never saw a request
    expect(receiver.received).toHaveLength(0);
  });

  it('in test mode (and development), loopback targets are allowed: that is the point of a local gateway', async () => {
    const gw = await startTestGateway(engine);
    cleanups.push(() => gw.close());
    const res = await gw.call('PUT', '/api/v1/webhooks/config', { webhook_url: 'http://localhost:4000/webhook' });
    expect(res.status).toBe(200);
    expect(res.body.webhook_url).toBe('http://localhost:4000/webhook');
  });
});

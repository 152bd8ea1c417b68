import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { PaygateWebhookEvent } from '@paygate/webhook-verify';
import { createSignedRequest, createTestEvent } from '@paygate/webhook-verify/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { WebhookInbox, type EventHandler } from './inbox.js';

const SECRET = 'whsec_test_abc123';
let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** Starts the receiver on a free port with a recording handler. */
async function start(handle?: EventHandler) {
  const processed: PaygateWebhookEvent[] = [];
  const inbox = new WebhookInbox(handle ?? ((event) => void processed.push(event)));
  server = createApp({ secret: SECRET, inbox, log: () => {} }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  const post = async (request: { body: string; headers: Record<string, string> }) => {
    const response = await fetch(url, { method: 'POST', body: request.body, headers: request.headers });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  return { processed, inbox, post };
}

describe('merchant-express receiver', () => {
  it('answers 200 to a signed delivery and processes it once', async () => {
    // Given a receiver and a delivery signed with its secret
    const { processed, inbox, post } = await start();
    const event = createTestEvent('payment.success');
    // When Paygate posts it
    const response = await post(await createSignedRequest({ secret: SECRET, event }));
    await inbox.drain();
    // Then it is acknowledged and processed once
    expect(response).toEqual({ status: 200, json: { received: true, duplicate: false } });
    expect(processed).toEqual([event]);
  });

  it('answers 200 to a retry of the same event and does not process it again', async () => {
    const { processed, inbox, post } = await start();
    const event = createTestEvent('refund.processed');
    const first = await post(await createSignedRequest({ secret: SECRET, event }));
    // A retry: same event id, freshly signed with a later timestamp
    const retry = await post(await createSignedRequest({ secret: SECRET, event, timestamp: Math.floor(Date.now() / 1000) + 5 }));
    await inbox.drain();
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.json).toEqual({ received: true, duplicate: true });
    expect(processed.map((e) => e.id)).toEqual([event.id]);
  });

  it('rejects a tampered body with 400 and the reason, and processes nothing', async () => {
    const { processed, inbox, post } = await start();
    const request = await createSignedRequest({ secret: SECRET, event: createTestEvent('payment.success', { payment: { amount: 100 } }) });
    const response = await post({ ...request, body: request.body.replace('"amount":100', '"amount":1') });
    await inbox.drain();
    expect(response).toEqual({ status: 400, json: { error: 'no_matching_signature' } });
    expect(processed).toEqual([]);
  });

  it('answers before processing finishes', async () => {
    // Given a handler that does not finish until released
    let release!: () => void;
    const finished: string[] = [];
    const { inbox, post } = await start(async (event) => {
      await new Promise<void>((resolve) => (release = resolve));
      finished.push(event.id);
    });
    const event = createTestEvent('payment.created');
    // When the delivery is posted, Then the 200 arrives while processing is still pending
    expect((await post(await createSignedRequest({ secret: SECRET, event }))).status).toBe(200);
    expect(finished).toEqual([]);
    await expect.poll(() => typeof release).toBe('function');
    release();
    await inbox.drain();
    expect(finished).toEqual([event.id]);
  });
});

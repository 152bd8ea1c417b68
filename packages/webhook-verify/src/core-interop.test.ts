// The server signs deliveries with @paygate/core; this package must accept exactly what core
// produces, and core's own verifier must accept what this package's test helper produces.
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_HEADERS,
  buildWebhookHeaders,
  generateWebhookSecret,
  verifyStandardWebhook,
} from '@paygate/core';
import { describe, expect, it } from 'vitest';
import { NOW, NOW_SECONDS } from '../test/helpers/request.js';
import { PAYGATE_EVENT_NAMES } from './events.js';
import { createSignedRequest, createTestEvent } from './testing.js';
import { verifyWebhook, verifyWebhookSignature } from './verify.js';

describe('interop with @paygate/core (the server’s signer)', () => {
  it('verifies the headers core builds for a delivery, with either secret during a rotation', async () => {
    // Given a delivery signed by core with a fresh secret and a rotated-out one
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const event = createTestEvent('payment.success');
    const body = JSON.stringify(event);
    const headers = await buildWebhookHeaders({ secrets: [current, previous], id: event.id, timestamp: NOW_SECONDS, body });
    // Then a receiver holding either secret accepts it
    await expect(verifyWebhook(body, headers, current, { now: NOW })).resolves.toEqual(event);
    await expect(verifyWebhook(body, headers, previous, { now: NOW })).resolves.toEqual(event);
    // And the legacy header core adds verifies with the current secret alone
    const legacyOnly = { [WEBHOOK_HEADERS.legacySignature]: headers[WEBHOOK_HEADERS.legacySignature]! };
    await expect(verifyWebhookSignature(body, legacyOnly, current, { legacy: true })).resolves.toMatchObject({ scheme: 'legacy' });
  });

  it('verifies core’s signature for the seed secret, whose key is its UTF-8 bytes', async () => {
    const body = JSON.stringify(createTestEvent('refund.processed'));
    const headers = await buildWebhookHeaders({ secrets: ['whsec_test_abc123'], id: 'evt_seed', timestamp: NOW_SECONDS, body });
    await expect(verifyWebhookSignature(body, headers, 'whsec_test_abc123', { now: NOW })).resolves.toMatchObject({ id: 'evt_seed' });
  });

  it('produces requests core’s verifier accepts', async () => {
    const secret = generateWebhookSecret();
    const { body, headers } = await createSignedRequest({ secret, event: createTestEvent('refund.created'), timestamp: NOW });
    await expect(verifyStandardWebhook({ secrets: secret, headers, body, now: NOW })).resolves.toBe(true);
  });

  it('knows the same event names as core, plus the endpoint test event the server sends', () => {
    expect([...PAYGATE_EVENT_NAMES].sort()).toEqual([...WEBHOOK_EVENT_TYPES, 'webhook.test'].sort());
  });
});

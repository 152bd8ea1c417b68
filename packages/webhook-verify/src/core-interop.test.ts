// The server signs deliveries with @paygate/core; this package is the verifier merchants use, so
// it must accept exactly what core produces, and its test helper must sign as core does.
import { WEBHOOK_EVENT_TYPES, WEBHOOK_HEADERS, buildWebhookHeaders, generateWebhookSecret } from '@paygate/core';
import fc from 'fast-check';
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

  it('signs a test request exactly as core signs a delivery', async () => {
    // Given the same secrets, id, timestamp and body (two secrets: a rotation)
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const event = createTestEvent('refund.created');
    const { body, headers } = await createSignedRequest({ secret: [current, previous], event, timestamp: NOW });
    const core = await buildWebhookHeaders({ secrets: [current, previous], id: event.id, timestamp: NOW_SECONDS, body });
    // Then every header core sends is the same
    for (const [name, value] of Object.entries(core)) expect(headers[name]).toBe(value);
  });

  it('accepts whatever core signs, with each of its secrets, and refuses a changed body (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => generateWebhookSecret(() => b)),
          { minLength: 1, maxLength: 3 },
        ),
        fc.string({ unit: 'grapheme' }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        async (secrets, body, timestamp) => {
          const headers = await buildWebhookHeaders({ secrets, id: 'evt_AAAAAAAAAAAAAAAA', timestamp, body });
          const now = timestamp * 1000;
          for (const secret of secrets) {
            await expect(verifyWebhookSignature(body, headers, secret, { now })).resolves.toMatchObject({ scheme: 'v1', timestamp });
          }
          await expect(verifyWebhookSignature(`${body}x`, headers, secrets, { now })).rejects.toMatchObject({ reason: 'no_matching_signature' });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('knows the same event names as core, plus the endpoint test event the server sends', () => {
    expect([...PAYGATE_EVENT_NAMES].sort()).toEqual([...WEBHOOK_EVENT_TYPES, 'webhook.test'].sort());
  });
});

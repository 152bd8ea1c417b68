// Interoperability with an independent node:crypto implementation (test/helpers/reference-signer.ts),
// both ways, over generated inputs: what the server (node:crypto) signs, this package verifies,
// and what this package signs, a hand-rolled node:crypto receiver verifies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceLegacySign, referenceSign, referenceVerify } from '../test/helpers/reference-signer.js';
import { signLegacyWebhook, signWebhook } from './sign.js';
import { verifyWebhookSignature } from './verify.js';

const secretArb = fc.oneof(
  // The shape Paygate issues: whsec_ + base64 of 32 random bytes.
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`),
  // Anything else a merchant may have been given (the seed's whsec_test_abc123 kind): used as UTF-8.
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0),
);
const idArb = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() === s && s.trim() !== '');
const timestampArb = fc.integer({ min: 0, max: 99_999_999_999 });
const bodyArb = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.json());

describe('interop with node:crypto', () => {
  it('verifies what an independent node:crypto signer produced', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, idArb, timestampArb, bodyArb, async (secret, id, timestamp, body) => {
        const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': referenceSign({ secret, id, timestamp, body }) };
        const result = await verifyWebhookSignature(body, headers, secret, { now: timestamp * 1000 });
        expect(result).toMatchObject({ scheme: 'v1', id, timestamp, secretIndex: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it('produces signatures an independent node:crypto verifier accepts', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, idArb, timestampArb, bodyArb, async (secret, id, timestamp, body) => {
        const header = await signWebhook({ secret, id, timestamp, body });
        expect(referenceVerify({ secret, id, timestamp, body, header })).toBe(true);
        expect(header).toBe(referenceSign({ secret, id, timestamp, body }));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with node:crypto on the legacy scheme both ways', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, bodyArb, async (secret, body) => {
        const ours = await signLegacyWebhook({ secret, body });
        expect(ours).toBe(referenceLegacySign({ secret, body }));
        const result = await verifyWebhookSignature(body, { 'x-webhook-signature': ours }, secret, { legacy: true });
        expect(result.scheme).toBe('legacy');
      }),
      { numRuns: 200 },
    );
  });
});

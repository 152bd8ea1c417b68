import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../../fixtures/signature-vectors.json' with { type: 'json' };
import { PaygateError } from '../errors/paygate-error.js';
import { generateWebhookSecret } from './secret.js';
import { signLegacyWebhook, signStandardWebhook, webhookKeyBytes } from './sign.js';

// An independent implementation with node:crypto and Buffer, written from the fixture's $comment.
// "Valid base64" is what both packages (and @paygate/webhook-verify's reference signer) mean by it:
// the standard alphabet, padded, in groups of four. Unused bits in the last group need not be
// zero (AB== is valid and decodes to one zero byte), as atob decodes it; a lossless round trip
// would be stricter than the packages, and a secret like that would sign differently here.
const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function referenceKey(secret: string): Buffer {
  const part = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  return part.length > 0 && PADDED_BASE64.test(part) ? Buffer.from(part, 'base64') : Buffer.from(secret, 'utf8');
}
function referenceStandard(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', referenceKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}
function referenceLegacy(secret: string, body: string): string {
  // Exactly the seed README's snippet.
  return createHmac('sha256', secret).update(body).digest('hex');
}

async function rejected(promise: Promise<unknown>): Promise<PaygateError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PaygateError) return err;
    throw err;
  }
  throw new Error('expected a PaygateError');
}

describe('shared signature vectors', () => {
  it('has vectors of both schemes', () => {
    expect(vectors.standardWebhooks.length).toBeGreaterThanOrEqual(4);
    expect(vectors.legacy.length).toBeGreaterThanOrEqual(3);
  });

  it.each(vectors.standardWebhooks.map((v) => [v.name, v] as const))('standard: %s', async (_name, v) => {
    // The independent implementation agrees with the fixture…
    expect(referenceStandard(v.secret, v.id, v.timestamp, v.body)).toBe(v.signature);
    // …and so does core.
    expect(await signStandardWebhook({ secret: v.secret, id: v.id, timestamp: v.timestamp, body: v.body })).toBe(v.signature);
  });

  it.each(vectors.legacy.map((v) => [v.name, v] as const))('legacy: %s', async (_name, v) => {
    expect(referenceLegacy(v.secret, v.body)).toBe(v.signature);
    expect(await signLegacyWebhook(v.secret, v.body)).toBe(v.signature);
  });
});

describe('webhookKeyBytes', () => {
  it('decodes the base64 part of a whsec_ secret', () => {
    expect(Buffer.from(webhookKeyBytes('whsec_cGF5Z2F0ZS1maXh0dXJlLXNlY3JldC0wMDAxLTAxMjM=')).toString('utf8')).toBe('paygate-fixture-secret-0001-0123');
    expect(Array.from(webhookKeyBytes('AAEC'))).toEqual([0, 1, 2]); // no prefix: the same rule
  });

  it("uses the whole secret's UTF-8 bytes when the part after whsec_ is not base64 (the seed secret)", () => {
    expect(Buffer.from(webhookKeyBytes('whsec_test_abc123')).toString('utf8')).toBe('whsec_test_abc123');
    expect(Buffer.from(webhookKeyBytes('whsec_')).toString('utf8')).toBe('whsec_');
    expect(Buffer.from(webhookKeyBytes('whsec_AAA')).toString('utf8')).toBe('whsec_AAA'); // unpadded
  });

  it('refuses empty secrets and secrets with surrounding whitespace', async () => {
    expect(() => webhookKeyBytes('')).toThrow(/empty or missing/);
    expect(() => webhookKeyBytes('whsec_test_abc123\n')).toThrow(/whitespace/);
    const err = await rejected(signLegacyWebhook(' whsec_test_abc123', '{}'));
    expect(err.code).toBe('BAD_REQUEST_ERROR');
    expect(err.field).toBe('secret');
  });
});

describe('signStandardWebhook', () => {
  it('agrees with the reference for random secrets, ids, timestamps and bodies (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => generateWebhookSecret(() => b)),
          fc.string({ minLength: 1 }).filter((s) => s.trim() === s),
        ),
        fc.string(),
        fc.integer({ min: 0, max: 4_102_444_800 }),
        fc.string({ unit: 'grapheme' }),
        async (secret, id, timestamp, body) => {
          expect(await signStandardWebhook({ secret, id, timestamp, body })).toBe(referenceStandard(secret, id, timestamp, body));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keys a secret whose last base64 group has unused bits set by its decoded bytes (whsec_AB== is one zero byte)', async () => {
    const input = { id: 'evt_AAAAAAAAAAAAAAAA', timestamp: 1705314665, body: '{}' };
    const zeroByteKey = `v1,${createHmac('sha256', Buffer.from([0]))
      .update(`${input.id}.${input.timestamp}.${input.body}`)
      .digest('base64')}`;
    expect(await signStandardWebhook({ secret: 'whsec_AB==', ...input })).toBe(zeroByteKey);
    expect(await signStandardWebhook({ secret: 'whsec_AA==', ...input })).toBe(zeroByteKey);
  });

  it('refuses a timestamp that is not whole unix seconds', async () => {
    const base = { secret: 'whsec_test_abc123', id: 'evt_AAAAAAAAAAAAAAAA', body: '{}' };
    const err = await rejected(signStandardWebhook({ ...base, timestamp: 1705314665.5 }));
    expect(err).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'timestamp' });
    expect(err.description).toBe('timestamp must be whole unix seconds (not milliseconds, not a Date); got 1705314665.5');
    expect((await rejected(signStandardWebhook({ ...base, timestamp: -1 }))).field).toBe('timestamp');
  });
});

describe('signLegacyWebhook', () => {
  it('agrees with the seed snippet (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1 }).filter((s) => s.trim() === s),
        fc.string({ unit: 'grapheme' }),
        async (secret, body) => {
          expect(await signLegacyWebhook(secret, body)).toBe(referenceLegacy(secret, body));
        },
      ),
      { numRuns: 200 },
    );
  });
});

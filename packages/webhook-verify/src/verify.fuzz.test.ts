// The promise: verifyWebhook and friends throw WebhookVerificationError and nothing else, for
// any input. A receiver can then map every failure to a 4xx/5xx with a reason instead of
// leaking a TypeError into a 500 with a stack trace.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceSign } from '../test/helpers/reference-signer.js';
import { NOW, NOW_SECONDS, SECRET, validRequest, verificationError } from '../test/helpers/request.js';
import { WEBHOOK_VERIFICATION_REASONS, WebhookVerificationError } from './errors.js';
import { verifyWebhookSignatureSync, verifyWebhookSync } from './node.js';
import { verifyWebhook, verifyWebhookSignature } from './verify.js';

const anything = fc.anything({
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withObjectString: true,
});
// Every UTF-16 code unit, lone surrogates included.
const codeUnits = fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)), maxLength: 60 });
const base64ish = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-, '), maxLength: 60 });

const headerName = fc.constantFrom(
  'webhook-id',
  'Webhook-Id',
  'webhook-timestamp',
  'WEBHOOK-TIMESTAMP',
  'webhook-signature',
  'x-webhook-signature',
  'X-Webhook-Signature',
  'content-type',
  'get',
  '__proto__',
  'constructor',
);
const headerValue = fc.oneof(
  codeUnits,
  base64ish,
  base64ish.map((value) => `v1,${value}`),
  fc
    .array(
      base64ish.map((value) => `v1,${value}`),
      { maxLength: 4 },
    )
    .map((list) => list.join(' ')),
  fc.integer({ min: -1, max: 2 * NOW_SECONDS }).map(String),
  fc.stringMatching(/^\d{0,20}$/),
  fc.array(codeUnits, { maxLength: 3 }),
  anything,
);
const headersArb = fc.oneof(
  anything,
  fc.dictionary(fc.oneof(headerName, codeUnits), headerValue, { maxKeys: 8 }),
  fc.dictionary(headerName, headerValue, { maxKeys: 6 }).map((record) => ({ get: (name: string) => record[name] })),
);
const bodyArb = fc.oneof(anything, codeUnits, fc.json(), fc.uint8Array({ maxLength: 200 }), fc.constant(validRequest().body));
const secretsArb = fc.oneof(anything, codeUnits, fc.constant(SECRET), fc.array(fc.oneof(codeUnits, fc.constant(SECRET), anything), { maxLength: 4 }));
const optionsArb = fc.oneof(
  fc.constant(undefined),
  anything,
  fc.record(
    {
      toleranceSeconds: fc.oneof(fc.double(), fc.integer(), anything),
      now: fc.oneof(fc.date({ noInvalidDate: false }), fc.double(), fc.constant(NOW), anything),
      legacy: fc.oneof(fc.boolean(), anything),
    },
    { requiredKeys: [] },
  ),
);

function expectOnlyVerificationErrors(error: unknown): void {
  expect(error).toBeInstanceOf(WebhookVerificationError);
  const { reason, hint } = error as WebhookVerificationError;
  expect(Object.keys(WEBHOOK_VERIFICATION_REASONS)).toContain(reason);
  expect(hint.length).toBeGreaterThan(0);
}

describe('fuzz: nothing but WebhookVerificationError', () => {
  it('for arbitrary bodies, headers, secrets and options (async entry)', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb, headersArb, secretsArb, optionsArb, async (body, headers, secrets, options) => {
        for (const verify of [verifyWebhook, verifyWebhookSignature]) {
          try {
            await verify(body as string, headers as Record<string, string>, secrets as string, options as never);
          } catch (error) {
            expectOnlyVerificationErrors(error);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('for arbitrary bodies, headers, secrets and options (sync node entry)', () => {
    fc.assert(
      fc.property(bodyArb, headersArb, secretsArb, optionsArb, (body, headers, secrets, options) => {
        for (const verify of [verifyWebhookSync, verifyWebhookSignatureSync]) {
          try {
            verify(body as string, headers as Record<string, string>, secrets as string, options as never);
          } catch (error) {
            expectOnlyVerificationErrors(error);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('for a valid request with one header replaced by anything', async () => {
    const request = validRequest();
    await fc.assert(
      fc.asyncProperty(headerName, headerValue, fc.boolean(), async (name, value, legacy) => {
        const headers = { ...request.headers, [name]: value } as Record<string, string>;
        try {
          await verifyWebhook(request.body, headers, request.secret, { now: NOW, legacy });
        } catch (error) {
          expectOnlyVerificationErrors(error);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('for a valid request with arbitrary options', async () => {
    const request = validRequest();
    await fc.assert(
      fc.asyncProperty(optionsArb, async (options) => {
        try {
          await verifyWebhook(request.body, request.headers, request.secret, options as never);
        } catch (error) {
          expectOnlyVerificationErrors(error);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('for bodies that stress the mismatch diagnosis (deep nesting, huge, odd text)', async () => {
    const { headers, secret } = validRequest();
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const huge = JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) });
    for (const body of [deep, huge, '\uD800', '"\\uD800"', '{"id":1}', '{"id":"evt_x"}']) {
      const error = await verificationError(verifyWebhook(body, headers, secret, { now: NOW }));
      expect(error.reason).toBe('no_matching_signature');
    }
  });
});

describe('properties', () => {
  it('a signature verifies for its own request and fails after any single-byte change to the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (body, at, delta) => {
        const headers = {
          'webhook-id': 'evt_prop',
          'webhook-timestamp': String(NOW_SECONDS),
          'webhook-signature': referenceSign({ secret: SECRET, id: 'evt_prop', timestamp: NOW_SECONDS, body }),
        };
        await expect(verifyWebhookSignature(body, headers, SECRET, { now: NOW })).resolves.toMatchObject({ scheme: 'v1' });
        const changed = Uint8Array.from(body);
        const index = at % changed.length;
        changed[index] = ((changed[index] as number) + delta) % 256;
        const error = await verificationError(verifyWebhookSignature(changed, headers, SECRET, { now: NOW }));
        expect(error.reason).toBe('no_matching_signature');
      }),
      { numRuns: 200 },
    );
  });
});

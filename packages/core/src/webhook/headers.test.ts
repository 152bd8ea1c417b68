import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../../fixtures/signature-vectors.json' with { type: 'json' };
import { PaygateError } from '../errors/paygate-error.js';
import {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  WEBHOOK_HEADERS,
  buildWebhookHeaders,
  constantTimeEqual,
  verifyStandardWebhook,
} from './headers.js';
import { generateWebhookSecret } from './secret.js';

const SEED_SECRET = 'whsec_test_abc123';
const NEW_SECRET = 'whsec_cGF5Z2F0ZS1maXh0dXJlLXNlY3JldC0wMDAxLTAxMjM=';
const OLD_SECRET = 'whsec_cGF5Z2F0ZS1maXh0dXJlLXNlY3JldC0wMDAyLTQ1Njc=';
const ID = 'evt_AAAAAAAAAAAAAAAA';
const TS = 1705314665;
const AT = new Date(TS * 1000);
const BODY = '{"id":"evt_AAAAAAAAAAAAAAAA","event":"payment.success"}';

async function authFailure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PaygateError && err.code === 'AUTHENTICATION_ERROR') return err.description;
    throw err;
  }
  throw new Error('expected AUTHENTICATION_ERROR');
}

async function signed(secrets: readonly string[] = [NEW_SECRET], body = BODY) {
  return buildWebhookHeaders({ secrets, id: ID, timestamp: TS, body });
}

describe('buildWebhookHeaders', () => {
  it('sends Standard Webhooks headers and the seed legacy header', async () => {
    // Given the seed secret and the body of the third standard vector (the same as the first legacy one)
    const v = vectors.standardWebhooks[2];
    if (v === undefined) throw new Error('fixture vector missing');
    const headers = await buildWebhookHeaders({ secrets: [SEED_SECRET], id: v.id, timestamp: v.timestamp, body: v.body });
    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp', 'x-webhook-signature']);
    expect(headers['webhook-id']).toBe('evt_CCCCCCCCCCCCCCCC');
    expect(headers['webhook-timestamp']).toBe('1705314665');
    // The seed README's verification snippet, verbatim in spirit: hex HMAC of the raw body.
    expect(headers['x-webhook-signature']).toBe(vectors.legacy[0]?.signature);
    expect(headers['webhook-signature']).toBe(v.signature);
  });

  it('signs once per secret during a rotation; the legacy header uses the first (current) secret', async () => {
    const headers = await signed([NEW_SECRET, OLD_SECRET]);
    const entries = headers[WEBHOOK_HEADERS.signature]?.split(' ') ?? [];
    expect(entries).toHaveLength(2);
    for (const entry of entries) expect(entry).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(headers[WEBHOOK_HEADERS.legacySignature]).toBe(createHmac('sha256', NEW_SECRET).update(BODY).digest('hex'));
  });

  it('gives the same headers with an injected synchronous HMAC (node:crypto) as with WebCrypto', async () => {
    // Given a server-side HMAC that records its use
    let calls = 0;
    const nodeHmac = (key: Uint8Array, message: string) => {
      calls += 1;
      return new Uint8Array(createHmac('sha256', key).update(message).digest());
    };
    const injected = await buildWebhookHeaders({ secrets: [NEW_SECRET, SEED_SECRET], id: ID, timestamp: TS, body: BODY, hmac: nodeHmac });
    // Then it was used for both v1 signatures and the legacy one, and nothing differs
    expect(calls).toBe(3);
    expect(injected).toEqual(await signed([NEW_SECRET, SEED_SECRET]));
  });

  it('needs a secret', async () => {
    const err = await buildWebhookHeaders({ secrets: [], id: ID, timestamp: TS, body: BODY }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'secrets' });
  });
});

describe('verifyStandardWebhook', () => {
  it('verifies every shared vector', async () => {
    for (const v of vectors.standardWebhooks) {
      const headers = { 'webhook-id': v.id, 'webhook-timestamp': String(v.timestamp), 'webhook-signature': v.signature };
      await expect(
        verifyStandardWebhook({ secrets: [v.secret], headers, body: v.body, now: new Date(v.timestamp * 1000) }),
      ).resolves.toBe(true);
    }
  });

  it('accepts Node-style, mixed-case and fetch Headers', async () => {
    const headers = await signed();
    const shouty = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(verifyStandardWebhook({ secrets: NEW_SECRET, headers: shouty, body: BODY, now: AT })).resolves.toBe(true);
    await expect(verifyStandardWebhook({ secrets: [NEW_SECRET], headers: new Headers(headers), body: BODY, now: AT })).resolves.toBe(true);
    const split = { ...headers, 'webhook-signature': ['v1,bm9wZQ==', headers['webhook-signature'] ?? ''] };
    await expect(verifyStandardWebhook({ secrets: [NEW_SECRET], headers: split, body: BODY, now: AT })).resolves.toBe(true);
  });

  it('rotation: a receiver with either the old or the new secret verifies', async () => {
    const headers = await signed([NEW_SECRET, OLD_SECRET]);
    await expect(verifyStandardWebhook({ secrets: [OLD_SECRET], headers, body: BODY, now: AT })).resolves.toBe(true);
    await expect(verifyStandardWebhook({ secrets: [NEW_SECRET], headers, body: BODY, now: AT })).resolves.toBe(true);
    // …and a receiver that holds both verifies a delivery signed with only one.
    const onlyOld = await signed([OLD_SECRET]);
    await expect(verifyStandardWebhook({ secrets: [NEW_SECRET, OLD_SECRET], headers: onlyOld, body: BODY, now: AT })).resolves.toBe(true);
  });

  it('rejects another secret, a changed body, id or timestamp', async () => {
    const headers = await signed();
    const mismatch =
      "No webhook-signature entry matches this body with the secret given. Pass the raw body exactly as received (not re-serialised JSON) and this endpoint's whsec_… secret.";
    expect(await authFailure(verifyStandardWebhook({ secrets: [OLD_SECRET], headers, body: BODY, now: AT }))).toBe(mismatch);
    expect(await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers, body: `${BODY} `, now: AT }))).toBe(mismatch);
    expect(
      await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers: { ...headers, 'webhook-id': 'evt_BBBBBBBBBBBBBBBB' }, body: BODY, now: AT })),
    ).toBe(mismatch);
    expect(
      await authFailure(
        verifyStandardWebhook({ secrets: [NEW_SECRET, SEED_SECRET], headers: { ...headers, 'webhook-timestamp': String(TS + 1) }, body: BODY, now: AT }),
      ),
    ).toMatch(/with the 2 secrets given/);
  });

  it('holds the timestamp to the tolerance, both ways', async () => {
    const headers = await signed();
    const at = (offset: number) => new Date((TS + offset) * 1000);
    expect(DEFAULT_WEBHOOK_TOLERANCE_SECONDS).toBe(300);
    await expect(verifyStandardWebhook({ secrets: [NEW_SECRET], headers, body: BODY, now: at(300) })).resolves.toBe(true);
    await expect(verifyStandardWebhook({ secrets: [NEW_SECRET], headers, body: BODY, now: at(-300) })).resolves.toBe(true);
    expect(await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers, body: BODY, now: at(301) }))).toBe(
      "The webhook-timestamp is 301 s in the past, beyond the 300 s tolerance: the request is stale or replayed (or this machine's clock is off).",
    );
    expect(await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers, body: BODY, now: at(-301) }))).toBe(
      "The webhook-timestamp is 301 s in the future, beyond the 300 s tolerance: check this machine's clock.",
    );
    await expect(
      verifyStandardWebhook({ secrets: [NEW_SECRET], headers, body: BODY, now: at(3000), toleranceSeconds: 3600 }),
    ).resolves.toBe(true);
  });

  it('uses the real clock by default', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const headers = await buildWebhookHeaders({ secrets: [NEW_SECRET], id: ID, timestamp: ts, body: BODY });
    await expect(verifyStandardWebhook({ secrets: [NEW_SECRET], headers, body: BODY })).resolves.toBe(true);
    expect(await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers: await signed(), body: BODY }))).toMatch(
      /s in the past/,
    );
  });

  it('names missing headers and malformed values', async () => {
    const headers = await signed();
    const { 'webhook-id': _id, ...noId } = headers;
    expect(await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers: noId, body: BODY, now: AT }))).toBe(
      'Missing header webhook-id: this request was not signed with Standard Webhooks.',
    );
    expect(await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers: new Headers(), body: BODY, now: AT }))).toMatch(
      /^Missing headers webhook-id, webhook-timestamp, webhook-signature/,
    );
    expect(
      await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers: { 'x-webhook-signature': 'ab' }, body: BODY, now: AT })),
    ).toBe('Missing headers webhook-id, webhook-timestamp, webhook-signature: this request was not signed with Standard Webhooks.');
    expect(
      await authFailure(
        verifyStandardWebhook({ secrets: [NEW_SECRET], headers: { ...headers, 'webhook-signature': undefined }, body: BODY, now: AT }),
      ),
    ).toMatch(/^Missing header webhook-signature/);
    expect(
      await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers: { ...headers, 'webhook-timestamp': '1705314665000.0' }, body: BODY, now: AT })),
    ).toBe("The webhook-timestamp header must be unix seconds; got '1705314665000.0'.");
    expect(
      await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers: { ...headers, 'webhook-signature': 'v1a,abc v2,def' }, body: BODY, now: AT })),
    ).toBe('The webhook-signature header has no v1 signature.');
  });

  it('refuses a parsed body and an empty secret list with a hint', async () => {
    const headers = await signed();
    expect(
      await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers, body: JSON.parse(BODY) as string, now: AT })),
    ).toMatch(/^The body must be the raw request body as a string; got object\. Verify before parsing JSON/);
    expect(await authFailure(verifyStandardWebhook({ secrets: [NEW_SECRET], headers, body: null as unknown as string, now: AT }))).toMatch(
      /got null/,
    );
    expect(await authFailure(verifyStandardWebhook({ secrets: [], headers, body: BODY, now: AT }))).toMatch(/^No webhook secret given/);
  });

  it('what buildWebhookHeaders signs, verifyStandardWebhook accepts (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => generateWebhookSecret(() => b)), { minLength: 1, maxLength: 3 }),
        fc.string({ unit: 'grapheme' }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        async (secrets, body, timestamp) => {
          const headers = await buildWebhookHeaders({ secrets, id: ID, timestamp, body });
          const now = new Date(timestamp * 1000);
          for (const secret of secrets) {
            await expect(verifyStandardWebhook({ secrets: [secret], headers, body, now })).resolves.toBe(true);
          }
          await expect(verifyStandardWebhook({ secrets, headers, body: `${body}x`, now })).rejects.toThrow(PaygateError);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('constantTimeEqual', () => {
  it('is string equality', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
      }),
    );
  });
});

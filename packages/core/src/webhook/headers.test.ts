import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import vectors from '../../fixtures/signature-vectors.json' with { type: 'json' };
import { WEBHOOK_HEADERS, buildWebhookHeaders } from './headers.js';

const SEED_SECRET = 'whsec_test_abc123';
const NEW_SECRET = 'whsec_cGF5Z2F0ZS1maXh0dXJlLXNlY3JldC0wMDAxLTAxMjM=';
const OLD_SECRET = 'whsec_cGF5Z2F0ZS1maXh0dXJlLXNlY3JldC0wMDAyLTQ1Njc=';
const ID = 'evt_AAAAAAAAAAAAAAAA';
const TS = 1705314665;
const BODY = '{"id":"evt_AAAAAAAAAAAAAAAA","event":"payment.success"}';

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

  it.each(vectors.standardWebhooks.map((v) => [v.name, v] as const))('signs the shared vector "%s" as the vector says', async (_name, v) => {
    const headers = await buildWebhookHeaders({ secrets: [v.secret], id: v.id, timestamp: v.timestamp, body: v.body });
    expect(headers[WEBHOOK_HEADERS.signature]).toBe(v.signature);
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

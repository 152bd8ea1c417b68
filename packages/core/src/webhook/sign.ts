import { PaygateError } from '../errors/paygate-error.js';
import { fromBase64, toBase64, toHex, utf8 } from '../internal/encoding.js';

/** Prefix of webhook secrets; what follows is base64 of the key for secrets Paygate issues. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Signature version tag of the Standard Webhooks symmetric scheme. */
export const STANDARD_SIGNATURE_VERSION = 'v1';

/**
 * The HMAC key of a webhook secret for the Standard Webhooks scheme: the base64-decoded part
 * after `whsec_` when that part is valid (padded, standard) base64 — every secret Paygate
 * issues, and what the official Standard Webhooks libraries expect — otherwise the UTF-8 bytes
 * of the whole secret, which keeps the seed's `whsec_test_abc123` working. Shared with
 * `@paygate/webhook-verify` through `fixtures/signature-vectors.json`.
 */
export function webhookKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  assertUsableSecret(secret);
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  return fromBase64(encoded) ?? utf8(secret);
}

/**
 * The `webhook-signature` entry for one secret: `v1,` + base64 HMAC-SHA256 of
 * `"{id}.{timestamp}.{body}"` (Standard Webhooks). `timestamp` is unix seconds.
 */
export async function signStandardWebhook({
  secret,
  id,
  timestamp,
  body,
  hmac = webCryptoHmacSha256,
}: {
  secret: string;
  id: string;
  timestamp: number;
  body: string;
  hmac?: HmacSha256;
}): Promise<string> {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new PaygateError('BAD_REQUEST_ERROR', `timestamp must be whole unix seconds (not milliseconds, not a Date); got ${String(timestamp)}`, {
      field: 'timestamp',
    });
  }
  const mac = await hmac(webhookKeyBytes(secret), `${id}.${timestamp}.${body}`);
  return `${STANDARD_SIGNATURE_VERSION},${toBase64(mac)}`;
}

/**
 * The seed's legacy `X-Webhook-Signature`: hex HMAC-SHA256 of the body alone, keyed with the
 * UTF-8 bytes of the whole secret string (what the seed README's Node snippet computes).
 *
 * @remarks It signs neither a timestamp nor an id, so a captured request can be replayed; it is
 * sent only for compatibility, next to the Standard Webhooks headers.
 */
export async function signLegacyWebhook(secret: string, body: string, hmac: HmacSha256 = webCryptoHmacSha256): Promise<string> {
  assertUsableSecret(secret);
  return toHex(await hmac(utf8(secret), body));
}

/** HMAC-SHA256 over the UTF-8 bytes of `message` with WebCrypto (Node ≥ 20, browsers, edge). */
/**
 * An HMAC-SHA256 implementation: the WebCrypto default runs everywhere; a server may pass a
 * faster synchronous one (node:crypto `createHmac`): WebCrypto's async round trip per signature
 * was a tenth of a webhook worker's CPU in the benchmark.
 */
export type HmacSha256 = (key: Uint8Array<ArrayBuffer>, message: string) => Promise<Uint8Array> | Uint8Array;

/** The portable default {@link HmacSha256}: WebCrypto, in Node, browsers and edge runtimes. */
export const webCryptoHmacSha256: HmacSha256 = async (key, message) => {
  const cryptoKey = await globalThis.crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, utf8(message)));
};

// Refused rather than trimmed: whitespace almost always is a newline from an env file, which
// would otherwise show up much later as a signature mismatch nobody can explain.
function assertUsableSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new PaygateError('BAD_REQUEST_ERROR', 'The webhook secret is empty or missing; pass the whsec_… secret.', {
      field: 'secret',
    });
  }
  if (secret.trim() !== secret) {
    throw new PaygateError('BAD_REQUEST_ERROR', 'The webhook secret has leading or trailing whitespace (often a newline from an env file); remove it.', {
      field: 'secret',
    });
  }
}

import { concatBytes, encodeBase64, encodeHex, utf8 } from './internal/encoding.js';
import { hmacSha256 } from './internal/hmac.js';
import { readRawBody } from './internal/raw-body.js';
import { legacyKey, normalizeSecrets, standardKey } from './internal/secret.js';
import type { WebhookSecrets } from './verify-types.js';

/** What {@link signWebhook} signs. */
export interface SignWebhookInput {
  /** The webhook secret, or several: one `v1,…` entry each, space-separated, as Paygate sends during a rotation. */
  secret: WebhookSecrets;
  /** The `webhook-id` (the event id, `evt_…`). */
  id: string;
  /** The `webhook-timestamp`: unix seconds, or a Date (rounded down to the second). */
  timestamp: number | Date;
  /** The exact body that will be sent. */
  body: string | Uint8Array;
}

/**
 * Computes the `webhook-signature` header value Paygate would send: `v1,<base64 HMAC-SHA256(key,
 * "{id}.{timestamp}.{body}")>`, one entry per secret. For merchants' own tests; see also
 * `createSignedRequest` in `@paygate/webhook-verify/testing`.
 *
 * @throws {WebhookVerificationError} `invalid_secret` or `body_not_raw` for a bad secret or body.
 * @throws {TypeError} for an empty id or a timestamp that is not whole, non-negative seconds.
 */
export async function signWebhook(input: SignWebhookInput): Promise<string> {
  const secrets = normalizeSecrets(input.secret);
  if (typeof input.id !== 'string' || input.id.length === 0) throw new TypeError('signWebhook: id must be a non-empty string.');
  const timestamp = toUnixSeconds(input.timestamp);
  const content = concatBytes([utf8(`${input.id}.${timestamp}.`), readRawBody(input.body).bytes]);
  const entries = await Promise.all(secrets.map(async (secret) => `v1,${encodeBase64(await hmacSha256(standardKey(secret), content))}`));
  return entries.join(' ');
}

/**
 * Computes the seed's legacy `X-Webhook-Signature`: hex HMAC-SHA256 of the body alone, keyed
 * with the UTF-8 bytes of the whole secret.
 *
 * @remarks Signs no timestamp and no id, so a captured request can be replayed forever; it
 * exists only so the seed's verification snippet keeps working.
 */
export async function signLegacyWebhook(input: { secret: string; body: string | Uint8Array }): Promise<string> {
  const [secret] = normalizeSecrets(input.secret) as [string];
  return encodeHex(await hmacSha256(legacyKey(secret), readRawBody(input.body).bytes));
}

/** Unix seconds from a Date or a number of seconds; throws TypeError for anything else. */
export function toUnixSeconds(timestamp: number | Date): number {
  const seconds = timestamp instanceof Date ? Math.floor(timestamp.getTime() / 1000) : timestamp;
  // 1e11 s is the year 5138: a larger number is almost certainly milliseconds, which the
  // verifier refuses, so refuse it here too rather than produce a request that cannot verify.
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0 || seconds >= 1e11) {
    throw new TypeError('timestamp must be a Date or whole, non-negative unix seconds (not milliseconds).');
  }
  return seconds;
}

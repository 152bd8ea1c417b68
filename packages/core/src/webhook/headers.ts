import { PaygateError } from '../errors/paygate-error.js';
import { STANDARD_SIGNATURE_VERSION, signLegacyWebhook, signStandardWebhook, webCryptoHmacSha256, type HmacSha256 } from './sign.js';

/** Header names Paygate sends with every webhook delivery (lower case, as HTTP/2 requires). */
export const WEBHOOK_HEADERS = {
  /** The event id (`evt_…`), the same on every attempt: receivers dedupe on it. */
  id: 'webhook-id',
  /** Unix seconds when this attempt was signed; fresh on every attempt. */
  timestamp: 'webhook-timestamp',
  /** Space-separated `v1,<base64>` entries, one per active secret (rotation). */
  signature: 'webhook-signature',
  /** The seed's legacy hex signature over the body alone, with the first secret. */
  legacySignature: 'x-webhook-signature',
} as const;

/** Default tolerance between `webhook-timestamp` and the receiver's clock, in seconds (Standard Webhooks). */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** Request headers as Node (`IncomingHttpHeaders`), a plain object, or a fetch `Headers` gives them. */
export type WebhookHeadersInput =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null };

/**
 * The headers of one delivery attempt: `webhook-id`, `webhook-timestamp`, `webhook-signature`
 * (one `v1,…` per secret, so during a rotation receivers holding either secret verify) and the
 * seed's `x-webhook-signature` (hex, with `secrets[0]`, the current secret).
 */
export async function buildWebhookHeaders({
  secrets,
  id,
  timestamp,
  body,
  hmac = webCryptoHmacSha256,
}: {
  secrets: readonly string[];
  id: string;
  timestamp: number;
  body: string;
  /** Defaults to WebCrypto; see {@link HmacSha256}. */
  hmac?: HmacSha256;
}): Promise<Record<string, string>> {
  const [current] = secrets;
  if (current === undefined) {
    throw new PaygateError('BAD_REQUEST_ERROR', 'At least one webhook secret is needed to sign a delivery.', {
      field: 'secrets',
    });
  }
  const signatures = await Promise.all(secrets.map((secret) => signStandardWebhook({ secret, id, timestamp, body, hmac })));
  return {
    [WEBHOOK_HEADERS.id]: id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signatures.join(' '),
    [WEBHOOK_HEADERS.legacySignature]: await signLegacyWebhook(current, body, hmac),
  };
}

/**
 * Verify a Standard Webhooks request: the timestamp must be within `toleranceSeconds` of `now`
 * (either way) and one `v1` entry of `webhook-signature` must match one of `secrets`, compared
 * in constant time. Resolves `true`, or rejects with `AUTHENTICATION_ERROR` saying what is
 * wrong. `body` must be the raw body exactly as received.
 */
export async function verifyStandardWebhook({
  secrets,
  headers,
  body,
  toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  now = new Date(),
}: {
  secrets: string | readonly string[];
  headers: WebhookHeadersInput;
  body: string;
  toleranceSeconds?: number;
  now?: Date;
}): Promise<true> {
  if (typeof body !== 'string') {
    throw authError(
      `The body must be the raw request body as a string; got ${body === null ? 'null' : typeof body}. Verify before parsing JSON: a parsed and re-serialised body may differ byte for byte.`,
    );
  }
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) {
    throw authError('No webhook secret given: pass the endpoint secret (whsec_…), or several during a rotation.');
  }
  const id = readHeader(headers, WEBHOOK_HEADERS.id);
  const timestampText = readHeader(headers, WEBHOOK_HEADERS.timestamp);
  const signatureText = readHeader(headers, WEBHOOK_HEADERS.signature);
  const missing = [
    id === undefined ? WEBHOOK_HEADERS.id : undefined,
    timestampText === undefined ? WEBHOOK_HEADERS.timestamp : undefined,
    signatureText === undefined ? WEBHOOK_HEADERS.signature : undefined,
  ].filter((name) => name !== undefined);
  if (id === undefined || timestampText === undefined || signatureText === undefined) {
    throw authError(
      `Missing header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: this request was not signed with Standard Webhooks.`,
    );
  }

  if (!/^\d{1,15}$/.test(timestampText)) {
    throw authError(`The webhook-timestamp header must be unix seconds; got '${timestampText.slice(0, 40)}'.`);
  }
  const timestamp = Number(timestampText);
  const skew = Math.floor(now.getTime() / 1000) - timestamp;
  if (Math.abs(skew) > toleranceSeconds) {
    throw authError(
      skew > 0
        ? `The webhook-timestamp is ${skew} s in the past, beyond the ${toleranceSeconds} s tolerance: the request is stale or replayed (or this machine's clock is off).`
        : `The webhook-timestamp is ${-skew} s in the future, beyond the ${toleranceSeconds} s tolerance: check this machine's clock.`,
    );
  }

  const offered = signatureText
    .split(' ')
    .filter((entry) => entry.startsWith(`${STANDARD_SIGNATURE_VERSION},`))
    .map((entry) => entry.slice(STANDARD_SIGNATURE_VERSION.length + 1));
  if (offered.length === 0) {
    throw authError(`The webhook-signature header has no ${STANDARD_SIGNATURE_VERSION} signature.`);
  }
  const expected = await Promise.all(
    list.map(async (secret) =>
      (await signStandardWebhook({ secret, id, timestamp, body })).slice(STANDARD_SIGNATURE_VERSION.length + 1),
    ),
  );
  // Compare every pair without stopping early, so timing tells nothing about which one matched.
  let matched = false;
  for (const want of expected) {
    for (const got of offered) matched = constantTimeEqual(want, got) || matched;
  }
  if (!matched) {
    throw authError(
      `No webhook-signature entry matches this body with the ${list.length > 1 ? `${list.length} secrets` : 'secret'} given. Pass the raw body exactly as received (not re-serialised JSON) and this endpoint's whsec_… secret.`,
    );
  }
  return true;
}

/** Whether two strings are equal, taking time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function readHeader(headers: WebhookHeadersInput, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const value = (headers as { get(name: string): string | null }).get(name);
    return value === null ? undefined : value;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== name) continue;
    const value = record[key];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : value.join(' ');
  }
  return undefined;
}

function authError(description: string): PaygateError {
  return new PaygateError('AUTHENTICATION_ERROR', description);
}

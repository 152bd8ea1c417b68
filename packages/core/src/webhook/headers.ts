import { PaygateError } from '../errors/paygate-error.js';
import { signLegacyWebhook, signStandardWebhook, webCryptoHmacSha256, type HmacSha256 } from './sign.js';

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

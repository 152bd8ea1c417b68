import type { PaygateWebhookEvent } from './events.js';
import type { WebhookHeaders } from './headers.js';
import { hmacSha256 } from './internal/hmac.js';
import { parseEvent } from './internal/parse-event.js';
import { matchSignature, prepareSignatureCheck, toVerifiedSignature } from './internal/verification.js';

/** The raw request body, exactly as received: text, or bytes (Node's Buffer is a Uint8Array). */
export type RawBody = string | Uint8Array | ArrayBuffer;

/** One webhook secret, or several while a rotation is in progress (any one may match). */
export type WebhookSecrets = string | readonly string[];

/** Options for {@link verifyWebhook} and {@link verifyWebhookSignature}. */
export interface VerifyWebhookOptions {
  /**
   * How far `webhook-timestamp` may be from `now`, either way, in seconds. Default 300, as
   * Standard Webhooks recommends. Smaller narrows the replay window; 0 only suits tests.
   */
  toleranceSeconds?: number;
  /** The current time (a Date or epoch milliseconds); defaults to the system clock. For tests. */
  now?: Date | number;
  /**
   * Also accept the seed's legacy `X-Webhook-Signature` (hex HMAC-SHA256 of the body alone)
   * when a request carries no Standard Webhooks headers. Off by default.
   *
   * @remarks The legacy scheme has NO replay protection: it signs neither a timestamp nor an
   * id, so anyone who captures one delivery can resend it forever and it will verify. When the
   * Standard Webhooks headers are present they are always used, and a legacy signature never
   * rescues a failed v1 check.
   */
  legacy?: boolean;
}

/** What a successful signature check proved. */
export type VerifiedWebhookSignature =
  | {
      scheme: 'v1';
      /** `webhook-id`: the event id, the same on every attempt. */
      id: string;
      /** `webhook-timestamp` in unix seconds: fresh on every attempt. */
      timestamp: number;
      /** Index of the secret that matched, in the order given (useful to tell when the old secret stops being used). */
      secretIndex: number;
      /** The body as UTF-8 text. */
      body: string;
    }
  | {
      /** The legacy X-Webhook-Signature matched (only with `legacy: true`): no id, no timestamp, no replay protection. */
      scheme: 'legacy';
      secretIndex: number;
      body: string;
    };

/**
 * Verifies a Paygate webhook and returns the parsed, typed event.
 *
 * Checks, in order: the options and secret(s), that the body is raw, the `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` headers, that the timestamp is within
 * `toleranceSeconds` of now, that a v1 signature matches one of the secrets (in constant time),
 * and that the body is a Paygate event envelope.
 *
 * @param rawBody - the request body exactly as received, never a parsed object.
 * @param headers - `req.headers` (Node), `request.headers` (Fetch) or a plain object.
 * @param secretOrSecrets - the endpoint's webhook secret, or `[newSecret, oldSecret]` while rotating.
 * @throws {WebhookVerificationError} and nothing else, for any input; read `reason` and `hint`.
 *
 * @example
 * const event = await verifyWebhook(req.body, req.headers, process.env.PAYGATE_WEBHOOK_SECRET!);
 * if (event.event === 'payment.success') fulfil(event.data.payment.order_id);
 */
export async function verifyWebhook(
  rawBody: RawBody,
  headers: WebhookHeaders,
  secretOrSecrets: WebhookSecrets,
  options?: VerifyWebhookOptions,
): Promise<PaygateWebhookEvent> {
  const check = prepareSignatureCheck(rawBody, headers, secretOrSecrets, options);
  const macs = await Promise.all(check.keys.map((key) => hmacSha256(key, check.content)));
  return parseEvent(matchSignature(check, macs).body);
}

/**
 * Verifies the signature only and returns what it proved, without requiring a Paygate event
 * body: for any Standard Webhooks sender, or to log which secret matched during a rotation.
 *
 * @throws {WebhookVerificationError} and nothing else, for any input.
 */
export async function verifyWebhookSignature(
  rawBody: RawBody,
  headers: WebhookHeaders,
  secretOrSecrets: WebhookSecrets,
  options?: VerifyWebhookOptions,
): Promise<VerifiedWebhookSignature> {
  const check = prepareSignatureCheck(rawBody, headers, secretOrSecrets, options);
  const macs = await Promise.all(check.keys.map((key) => hmacSha256(key, check.content)));
  return toVerifiedSignature(matchSignature(check, macs));
}

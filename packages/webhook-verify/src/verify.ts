import type { PaygateWebhookEvent } from './events.js';
import type { WebhookHeaders } from './headers.js';
import { hmacSha256 } from './internal/hmac.js';
import { parseEvent } from './internal/parse-event.js';
import { matchSignature, prepareSignatureCheck, toVerifiedSignature } from './internal/verification.js';
import type { RawBody, VerifiedWebhookSignature, VerifyWebhookOptions, WebhookSecrets } from './verify-types.js';

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

// Synchronous verification for Node (`@paygate/webhook-verify/node`): node:crypto instead of
// WebCrypto, for code that cannot await (a sync middleware, a legacy callback API). Same checks,
// same errors: only the HMAC differs.
import { createHmac } from 'node:crypto';
import type { PaygateWebhookEvent } from './events.js';
import type { WebhookHeaders } from './headers.js';
import { parseEvent } from './internal/parse-event.js';
import { matchSignature, prepareSignatureCheck, toVerifiedSignature, type SignatureMatch } from './internal/verification.js';
import type { RawBody, VerifiedWebhookSignature, VerifyWebhookOptions, WebhookSecrets } from './verify-types.js';

export { WebhookVerificationError, isWebhookVerificationError } from './errors.js';

/**
 * {@link verifyWebhook}, synchronously, with node:crypto.
 *
 * @throws {WebhookVerificationError} and nothing else, for any input.
 */
export function verifyWebhookSync(
  rawBody: RawBody,
  headers: WebhookHeaders,
  secretOrSecrets: WebhookSecrets,
  options?: VerifyWebhookOptions,
): PaygateWebhookEvent {
  return parseEvent(check(rawBody, headers, secretOrSecrets, options).body);
}

/**
 * {@link verifyWebhookSignature}, synchronously, with node:crypto.
 *
 * @throws {WebhookVerificationError} and nothing else, for any input.
 */
export function verifyWebhookSignatureSync(
  rawBody: RawBody,
  headers: WebhookHeaders,
  secretOrSecrets: WebhookSecrets,
  options?: VerifyWebhookOptions,
): VerifiedWebhookSignature {
  return toVerifiedSignature(check(rawBody, headers, secretOrSecrets, options));
}

function check(rawBody: unknown, headers: unknown, secrets: unknown, options: unknown): SignatureMatch {
  const prepared = prepareSignatureCheck(rawBody, headers, secrets, options);
  const macs = prepared.keys.map((key) => createHmac('sha256', key).update(prepared.content).digest());
  return matchSignature(prepared, macs);
}

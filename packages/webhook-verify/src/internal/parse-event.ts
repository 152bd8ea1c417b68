import { WebhookVerificationError } from '../errors.js';
import type { PaygateWebhookEvent } from '../events.js';
import type { RawBodyBytes } from './raw-body.js';

/**
 * Turns a verified body into a Paygate event, checking only the envelope (`id`, `event`,
 * `data`): the signature already proved Paygate wrote it, and rejecting fields or event names
 * this version does not know would make Paygate retry a delivery the receiver can never accept.
 */
export function parseEvent(body: RawBodyBytes): PaygateWebhookEvent {
  if (!body.validUtf8) throw new WebhookVerificationError('invalid_json', 'The body is not valid UTF-8, so it cannot be JSON.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch (error) {
    throw new WebhookVerificationError('invalid_json', `The body is not JSON (it starts with ${JSON.stringify(body.text.slice(0, 40))}).`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WebhookVerificationError(
      'invalid_payload',
      `The body is JSON ${parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : typeof parsed}, not an event object.`,
    );
  }
  const { id, event, data } = parsed as Record<string, unknown>;
  const problems = [
    typeof id === 'string' ? undefined : '`id` is not a string',
    typeof event === 'string' ? undefined : '`event` is not a string',
    typeof data === 'object' && data !== null && !Array.isArray(data) ? undefined : '`data` is not an object',
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) {
    throw new WebhookVerificationError(
      'invalid_payload',
      `The signature is valid but ${problems.join(', ')}. If this sender is not Paygate, use verifyWebhookSignature and parse the body yourself.`,
    );
  }
  return parsed as PaygateWebhookEvent;
}

import { buildWebhookHeaders } from '@paygate/core';
import { eventEnvelopeText } from '../../model/wire.js';
import type { DeliveryToAttempt } from '../../adapters/db/operations/deliveries.js';
import { nodeHmacSha256 } from '../../lib/node-hmac.js';

/** The merchant's current secret, and the previous one while it has not expired. */
function secretsFor(d: DeliveryToAttempt, now: Date): string[] {
  const previous =
    d.previous_webhook_secret && d.previous_webhook_secret_expires_at && d.previous_webhook_secret_expires_at > now ? [d.previous_webhook_secret] : [];
  return [d.webhook_secret, ...previous];
}

/**
 * The body of a delivery (its event's envelope) and its headers, signed with every active
 * secret. `now` is the gateway clock (which secrets are active); `realNow` is the time signed.
 */
export async function signedRequest(d: DeliveryToAttempt, now: Date, realNow: Date): Promise<{ body: string; headers: Record<string, string> }> {
  const body = eventEnvelopeText(
    { id: d.event_id, type: d.event_type, created_at: d.event_created_at, sequence: d.event_sequence },
    d.event_data_text ?? JSON.stringify(d.event_data),
  );
  // The signed timestamp is real time: receivers check it against their own clock.
  const headers = await buildWebhookHeaders({
    secrets: secretsFor(d, now),
    id: d.event_id,
    timestamp: Math.floor(realNow.getTime() / 1000),
    body,
    hmac: nodeHmacSha256,
  });
  return { body, headers };
}

// Test helpers for merchants: `import { createSignedRequest } from '@paygate/webhook-verify/testing'`.
// A separate entry so production bundles never carry fixtures.
import type { EventOf, PaygateEventName, PaygateWebhookEvent, PaymentEventName, WebhookPayment, WebhookRefund } from './events.js';
import { signLegacyWebhook, signWebhook, toUnixSeconds } from './sign.js';
import type { WebhookSecrets } from './verify-types.js';

/** What {@link createSignedRequest} builds a delivery from. */
export interface CreateSignedRequestInput {
  /** The webhook secret, or several (one signature each, as during a rotation). */
  secret: WebhookSecrets;
  /** The event (serialized with `JSON.stringify`, as Paygate does) or an exact body string. */
  event: PaygateWebhookEvent | string;
  /** `webhook-id`; defaults to the event's `id`. */
  id?: string;
  /** `webhook-timestamp` (unix seconds or a Date); defaults to now. */
  timestamp?: number | Date;
  /** Add the legacy `X-Webhook-Signature` (signed with the first secret) as Paygate does; default true. */
  legacySignature?: boolean;
}

/** A signed delivery: send `body` with `headers` as a POST, or pass both to `verifyWebhook`. */
export interface SignedWebhookRequest {
  body: string;
  headers: Record<string, string>;
}

/**
 * Builds a delivery exactly as Paygate sends it: the JSON body and the `webhook-id`,
 * `webhook-timestamp`, `webhook-signature` (and legacy `x-webhook-signature`) headers.
 *
 * @example
 * const { body, headers } = await createSignedRequest({ secret, event: createTestEvent('payment.success') });
 * await fetch('http://127.0.0.1:4000/webhook', { method: 'POST', body, headers });
 */
export async function createSignedRequest(input: CreateSignedRequestInput): Promise<SignedWebhookRequest> {
  const body = typeof input.event === 'string' ? input.event : JSON.stringify(input.event);
  const id = input.id ?? (typeof input.event === 'string' ? idFromBody(body) : input.event.id);
  const timestamp = toUnixSeconds(input.timestamp ?? new Date());
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await signWebhook({ secret: input.secret, id, timestamp, body }),
  };
  if (input.legacySignature !== false) {
    const first = typeof input.secret === 'string' ? input.secret : (input.secret[0] as string);
    headers['x-webhook-signature'] = await signLegacyWebhook({ secret: first, body });
  }
  return { body, headers };
}

/** Field overrides for {@link createTestEvent}. */
export interface TestEventOverrides {
  id?: string;
  timestamp?: string;
  /** Defaults follow the lifecycle: created 1, pending 2, success/failed 3, refunds 4–5. */
  sequence?: number;
  payment?: Partial<WebhookPayment>;
  refund?: Partial<WebhookRefund>;
}

/**
 * A realistic event with every field filled in, for tests: `createTestEvent('payment.failed',
 * { payment: { amount: 100 } })`. Ids are random unless given.
 */
export function createTestEvent<N extends PaygateEventName>(name: N, overrides: TestEventOverrides = {}): EventOf<N> {
  const timestamp = overrides.timestamp ?? new Date().toISOString();
  const envelope = { id: overrides.id ?? randomId('evt'), event: name, timestamp, sequence: overrides.sequence ?? SEQUENCE[name] };
  if (name === 'webhook.test') {
    return { ...envelope, data: { message: 'This is a test webhook from Paygate.' } } as EventOf<N>;
  }
  if (name.startsWith('payment.')) {
    return { ...envelope, data: { payment: testPayment(name as PaymentEventName, timestamp, overrides.payment) } } as EventOf<N>;
  }
  return { ...envelope, data: { refund: testRefund(name, timestamp, overrides.refund) } } as EventOf<N>;
}

function testPayment(name: PaymentEventName, at: string, overrides: Partial<WebhookPayment> = {}): WebhookPayment {
  const status = name === 'payment.success' ? 'success' : name === 'payment.failed' ? 'failed' : 'pending';
  const amount = overrides.amount ?? 50000;
  return {
    id: randomId('pay'),
    entity: 'payment',
    order_id: randomId('order'),
    amount,
    currency: 'INR',
    method: 'upi',
    vpa: status === 'failed' ? 'failure@paygate' : 'success@paygate',
    status,
    error_code: status === 'failed' ? 'PAYMENT_FAILED' : null,
    error_description: status === 'failed' ? 'The payment was declined by the bank.' : null,
    captured: status === 'success',
    amount_refunded: 0,
    refundable_amount: status === 'success' ? amount : 0,
    created_at: at,
    updated_at: at,
    ...overrides,
  };
}

function testRefund(name: PaygateEventName, at: string, overrides: Partial<WebhookRefund> = {}): WebhookRefund {
  const status = name === 'refund.processed' ? 'processed' : name === 'refund.failed' ? 'failed' : 'pending';
  return {
    id: randomId('rfnd'),
    entity: 'refund',
    payment_id: randomId('pay'),
    amount: 10000,
    currency: 'INR',
    reason: 'Customer requested',
    notes: {},
    status,
    created_at: at,
    processed_at: status === 'processed' ? at : null,
    ...overrides,
  };
}

const SEQUENCE: Record<PaygateEventName, number> = {
  'payment.created': 1,
  'payment.pending': 2,
  'payment.success': 3,
  'payment.failed': 3,
  'refund.created': 4,
  'refund.processed': 5,
  'refund.failed': 5,
  'webhook.test': 1,
};

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `prefix_` + 16 random base62 characters, the shape of Paygate's ids. */
function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let id = '';
  // Test ids need to be unique, not uniform, so the slight modulo bias does not matter.
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${id}`;
}

function idFromBody(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
    if (typeof id === 'string' && id.length > 0) return id;
  } catch {
    // Not JSON: tests of malformed bodies still need an id.
  }
  return randomId('evt');
}

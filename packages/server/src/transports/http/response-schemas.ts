import { z } from 'zod';

/**
 * The shapes the REST API answers with, as zod schemas: routes name them in their `openapi`
 * metadata, the OpenAPI document is generated from them, and the OpenAPI test checks real
 * answers against them. Objects are strict, so a field added to a serializer and not here fails
 * that test instead of going undocumented.
 */

const timestamp = z.string().describe('ISO 8601 time');
const amount = z.number().int().describe('Integer amount in minor units');
const notes = z.record(z.string(), z.string());

export const errorResponse = z.strictObject({
  error: z.strictObject({
    code: z.string().describe('Error code from the catalogue, e.g. BAD_REQUEST_ERROR'),
    description: z.string(),
    field: z.string().optional().describe('The input field at fault, when one is'),
  }),
});

export const orderResponse = z.strictObject({
  id: z.string(),
  entity: z.literal('order'),
  amount,
  currency: z.string(),
  receipt: z.string().nullable(),
  notes,
  status: z.string().describe('created | attempted | paid'),
  created_at: timestamp,
  updated_at: timestamp,
});

const paymentCommon = {
  id: z.string(),
  entity: z.literal('payment'),
  order_id: z.string(),
  amount,
  currency: z.string(),
  status: z.string().describe('pending | success | failed'),
  error_code: z.string().nullable(),
  error_description: z.string().nullable(),
  captured: z.boolean(),
  amount_refunded: amount,
  refundable_amount: amount,
  created_at: timestamp,
  updated_at: timestamp,
};
export const paymentResponse = z.union([
  z.strictObject({ ...paymentCommon, method: z.literal('upi'), vpa: z.string().nullable() }),
  z.strictObject({ ...paymentCommon, method: z.literal('card'), card_network: z.string().nullable(), card_last4: z.string().nullable() }),
]);

export const refundResponse = z.strictObject({
  id: z.string(),
  entity: z.literal('refund'),
  payment_id: z.string(),
  amount,
  currency: z.string(),
  reason: z.string().nullable(),
  notes,
  status: z.string().describe('pending | processed | failed'),
  created_at: timestamp,
  processed_at: timestamp.nullable(),
});

export const eventEnvelope = z.strictObject({
  id: z.string().describe('evt_…, the webhook-id receivers deduplicate on'),
  event: z.string(),
  timestamp,
  sequence: z.number().int(),
  data: z.record(z.string(), z.unknown()),
});

export const webhookDeliveryResponse = z.strictObject({
  id: z.string(),
  entity: z.literal('webhook_delivery'),
  event: z.string(),
  event_id: z.string(),
  status: z.string().describe('pending | success | failed'),
  attempts: z.number().int(),
  created_at: timestamp,
  last_attempt_at: timestamp.nullable(),
  next_attempt_at: timestamp.nullable(),
  response_code: z.number().int().nullable(),
  payload: eventEnvelope,
  attempt_log: z.array(
    z.strictObject({
      attempt: z.number().int(),
      url: z.string(),
      attempted_at: timestamp,
      status_code: z.number().int().nullable(),
      latency_ms: z.number().int(),
      response_body: z.string().nullable(),
      error: z.string().nullable(),
      succeeded: z.boolean(),
    }),
  ),
});

/** The list envelope every collection endpoint returns. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({ data: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

export const webhookConfigResponse = z.strictObject({
  webhook_url: z.string().nullable(),
  enabled: z.boolean(),
  events: z.array(z.string()).nullable().describe('Event types sent; null for all'),
  webhook_secret: z.string(),
  previous_secret_expires_at: timestamp.nullable(),
});

export const webhookRetryResponse = z.strictObject({ id: z.string(), status: z.string(), message: z.string() });

export const webhookTestResponse = z.strictObject({
  event_id: z.string(),
  delivery_id: z.string(),
  webhook_url: z.string().nullable(),
  status: z.string(),
});

export const checkoutOrderResponse = z.strictObject({
  id: z.string(),
  amount,
  currency: z.string(),
  status: z.string(),
  merchant_name: z.string(),
  test_mode: z.boolean(),
  upi_vpa: z.string(),
});

const checkoutPaymentCommon = {
  id: z.string(),
  order_id: z.string(),
  amount,
  currency: z.string(),
  method: z.string(),
  status: z.string(),
  error_code: z.string().nullable(),
  error_description: z.string().nullable(),
  created_at: timestamp,
};
export const checkoutPaymentResponse = z.strictObject(checkoutPaymentCommon);

const queueCounts = z.strictObject({
  waiting: z.number().int(),
  delayed: z.number().int(),
  active: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
});
export const jobStatusResponse = z.strictObject({
  pending: z.number().int(),
  processing: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  worker_status: z.enum(['running', 'stopped']),
  workers: z.number().int(),
  queues: z.record(z.string(), queueCounts),
});

export const testMerchantResponse = z.strictObject({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  api_key: z.string(),
  api_secret: z.string().describe('Shown once'),
  webhook_secret: z.string(),
  created_at: timestamp,
});

export const clockResponse = z.strictObject({ now: timestamp, offset_seconds: z.number().int() });
export const resetResponse = z.strictObject({ reset: z.literal(true), now: timestamp });

export const healthResponse = z.strictObject({ status: z.literal('ok') });
export const readyResponse = z.strictObject({
  status: z.enum(['ready', 'unavailable']),
  checks: z.record(z.string(), z.string()),
});

import type { DeliveryStatus, OrderStatus, PaymentErrorCode, PaymentStatus, RefundStatus } from '@paygate/core';

/**
 * Row types, snake_case as in the database. bigint columns arrive as numbers from PGlite and
 * from our node-postgres type parser; `count(*)` may still be a string, see `toCount`.
 */
export type MerchantRow = {
  id: string;
  name: string;
  email: string;
  api_key: string;
  api_secret_hash: string;
  webhook_url: string | null;
  webhook_secret: string;
  previous_webhook_secret: string | null;
  previous_webhook_secret_expires_at: Date | null;
  webhook_events: string[] | null;
  webhook_enabled: boolean;
  is_test: boolean;
  created_at: Date;
  updated_at: Date;
};

export type OrderRow = {
  id: string;
  merchant_id: string;
  amount: number;
  currency: string;
  receipt: string | null;
  notes: Record<string, string> | null;
  status: OrderStatus;
  created_at: Date;
  updated_at: Date;
  /** The Idempotency-Key record's reference when created under one (its recovery point), else null. */
  idempotency_ref: string | null;
};

export type PaymentRow = {
  id: string;
  merchant_id: string;
  order_id: string;
  amount: number;
  currency: string;
  method: 'upi' | 'card';
  vpa: string | null;
  card_network: string | null;
  card_last4: string | null;
  status: PaymentStatus;
  error_code: string | null;
  error_description: string | null;
  captured: boolean;
  amount_refunded: number;
  decided_status: 'success' | 'failed';
  decided_error_code: PaymentErrorCode | null;
  decided_error_description: string | null;
  /** Every refund of this payment fails (magic card), decided at creation. */
  refunds_fail: boolean;
  process_after: Date;
  enqueued_at: Date | null;
  event_sequence: number;
  created_at: Date;
  updated_at: Date;
  processed_at: Date | null;
  /** The Idempotency-Key record's reference when created under one (its recovery point), else null. */
  idempotency_ref: string | null;
};

export type RefundRow = {
  id: string;
  merchant_id: string;
  payment_id: string;
  amount: number;
  currency: string;
  reason: string | null;
  notes: Record<string, string> | null;
  status: RefundStatus;
  process_after: Date;
  enqueued_at: Date | null;
  created_at: Date;
  updated_at: Date;
  processed_at: Date | null;
  /** The Idempotency-Key record's reference when created under one (its recovery point), else null. */
  idempotency_ref: string | null;
};

export type EventRow = {
  id: string;
  merchant_id: string;
  type: string;
  payment_id: string | null;
  sequence: number;
  data: Record<string, unknown>;
  created_at: Date;
};

/** A webhook delivery: one per event and endpoint, with its attempts in `webhook_attempts`. The table keeps the seed's name, `webhook_logs`. */
export type DeliveryRow = {
  id: string;
  merchant_id: string;
  event_id: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  attempts_logged: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  response_code: number | null;
  enqueued_at: Date | null;
  locked_until: Date | null;
  created_at: Date;
  updated_at: Date;
};

/**
 * A delivery a statement just created with its event (a new payment's or a settlement's), with
 * what sending it needs from its merchant, read in the same statement. `locked_until` is set
 * when the statement created it leased to its caller, to send at once (see LeasedDeliveryHandoff).
 */
export type CreatedDelivery = Pick<DeliveryRow, 'id' | 'merchant_id' | 'event_id' | 'locked_until'> &
  Pick<MerchantRow, 'webhook_url' | 'webhook_secret' | 'previous_webhook_secret' | 'previous_webhook_secret_expires_at' | 'webhook_enabled'>;

export type WebhookAttemptRow = {
  id: number;
  webhook_log_id: string;
  attempt_number: number;
  url: string;
  attempted_at: Date;
  status_code: number | null;
  latency_ms: number;
  response_body: string | null;
  error: string | null;
  succeeded: boolean;
};

export type IdempotencyKeyRow = {
  merchant_id: string;
  method: string;
  path: string;
  key: string;
  request_hash: string;
  state: 'in_flight' | 'completed';
  response_status: number | null;
  response_body: string | null;
  /** Carried by the resource the request created: the recovery point after a crash. */
  idempotency_ref: string | null;
  locked_until: Date;
  created_at: Date;
  expires_at: Date;
};

/** `count(*)` is a number on PGlite and a string on node-postgres. */
export function toCount(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new TypeError(`not a count: ${String(value)}`);
  return n;
}

/**
 * The REST API's objects as they travel (DESIGN.md "API contract"): snake_case fields, amounts
 * as integers in minor units, timestamps as ISO-8601 UTC strings. They live here, in the client,
 * because merchants' code reads them without installing the server; the server's serializers
 * (`packages/server/src/model/wire.ts`) are typed against them, so the two cannot drift apart.
 */

/** An ISO-8601 UTC time, e.g. `2026-11-29T20:45:00.000Z`. */
export type Timestamp = string;

export type OrderStatus = 'created' | 'attempted' | 'paid';
export type PaymentStatus = 'pending' | 'success' | 'failed';
export type RefundStatus = 'pending' | 'processed' | 'failed';
export type DeliveryStatus = 'pending' | 'success' | 'failed';
export type PaymentMethod = 'upi' | 'card';

/** Free-form string pairs a merchant attaches to an order or refund. */
export type Notes = Record<string, string>;

export type Order = {
  id: string;
  entity: 'order';
  /** Integer, minor units (paise for INR). */
  amount: number;
  currency: string;
  receipt: string | null;
  notes: Notes;
  status: OrderStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
};

type PaymentCommon = {
  id: string;
  entity: 'payment';
  order_id: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  error_code: string | null;
  error_description: string | null;
  captured: boolean;
  amount_refunded: number;
  /** What is left to refund: `amount - amount_refunded` once the payment succeeded, else 0. */
  refundable_amount: number;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type UpiPayment = PaymentCommon & { method: 'upi'; vpa: string | null };
/** A card payment keeps only the network and the last four digits, never the number or CVV. */
export type CardPayment = PaymentCommon & { method: 'card'; card_network: string | null; card_last4: string | null };
export type Payment = UpiPayment | CardPayment;

export type Refund = {
  id: string;
  entity: 'refund';
  payment_id: string;
  amount: number;
  currency: string;
  reason: string | null;
  notes: Notes;
  status: RefundStatus;
  created_at: Timestamp;
  processed_at: Timestamp | null;
};

/**
 * The webhook envelope and event-stream frame: the seed's `{event, timestamp, data}` plus a stable
 * `id` (`evt_…`) receivers dedupe on, and the payment's event `sequence`, since order is not
 * guaranteed.
 */
export type EventEnvelope = {
  id: string;
  event: string;
  timestamp: Timestamp;
  sequence: number;
  /** `{ payment }` or `{ refund }` (or a test payload for `webhook.test`). */
  data: Record<string, unknown>;
};

export type WebhookAttempt = {
  attempt: number;
  url: string;
  attempted_at: Timestamp;
  status_code: number | null;
  latency_ms: number;
  /** The receiver's answer, truncated. */
  response_body: string | null;
  error: string | null;
  succeeded: boolean;
};

export type WebhookDelivery = {
  id: string;
  entity: 'webhook_delivery';
  event: string;
  event_id: string;
  status: DeliveryStatus;
  attempts: number;
  created_at: Timestamp;
  last_attempt_at: Timestamp | null;
  next_attempt_at: Timestamp | null;
  response_code: number | null;
  payload: EventEnvelope;
  attempt_log: WebhookAttempt[];
};

/** The envelope every collection endpoint answers with. */
export type ListOf<T> = { data: T[]; total: number; limit: number; offset: number };

export type WebhookConfig = {
  webhook_url: string | null;
  enabled: boolean;
  /** The event types sent; `null` for all. */
  events: string[] | null;
  webhook_secret: string;
  /** While a rotated-out secret still signs deliveries (both signatures are sent), its end. */
  previous_secret_expires_at: Timestamp | null;
};

export type WebhookRetryResult = { id: string; status: string; message: string };
export type WebhookTestResult = { event_id: string; delivery_id: string; webhook_url: string | null; status: string };

export type QueueCounts = { waiting: number; delayed: number; active: number; completed: number; failed: number };
export type JobStatus = {
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  worker_status: 'running' | 'stopped';
  workers: number;
  queues: Record<string, QueueCounts>;
};

/** `POST /api/v1/test/merchants`: the secret is shown once. */
export type TestMerchant = {
  id: string;
  name: string;
  email: string;
  api_key: string;
  api_secret: string;
  webhook_secret: string;
  created_at: Timestamp;
};

export type ClockState = { now: Timestamp; offset_seconds: number };
export type ResetResult = { reset: true; now: Timestamp };
export type Health = { status: 'ok' };
export type Readiness = { status: 'ready' | 'unavailable'; checks: Record<string, string> };

/** The error body of every non-2xx REST answer. */
export type ErrorBody = { error: { code: string; description: string; field?: string } };

// ---- Request bodies -------------------------------------------------------------------------

export type CreateOrderInput = {
  /** Integer, minor units, > 0. */
  amount: number;
  /** ISO 4217, e.g. `INR` (the default). */
  currency?: string;
  receipt?: string;
  notes?: Notes;
};

export type CardInput = {
  number: string;
  expiry_month: number | string;
  expiry_year: number | string;
  cvv: string;
  name?: string;
};
export type CreatePaymentInput = { order_id: string; method: 'upi'; vpa: string } | { order_id: string; method: 'card'; card: CardInput };

export type CreateRefundInput = { amount?: number; reason?: string; notes?: Notes };
export type CaptureInput = { amount?: number };
/** `webhook_url` is required (`null` stops sending); leaving `events` out keeps them as they are. */
export type WebhookConfigInput = { webhook_url: string | null; enabled?: boolean; events?: string[] | null };
export type CreateMerchantInput = { name: string; email: string };

export type ListQuery = { limit?: number; offset?: number; status?: string };
/** Payments filters: `created_from` inclusive, `created_to` exclusive (ISO-8601 times). */
export type PaymentListQuery = ListQuery & { order_id?: string; method?: PaymentMethod; created_from?: Timestamp; created_to?: Timestamp };
export type WebhookListQuery = ListQuery & { event?: string; payment_id?: string };
/** Recorded events, newest first; `payment_id` gives one payment's timeline. */
export type EventListQuery = { limit?: number; offset?: number; payment_id?: string; type?: string };
/** `GET /api/v1/stats?since=`: payments since a time by status, success rate among settled ones, money per currency. */
export type Stats = {
  since: Timestamp;
  payments: { total: number; success: number; failed: number; pending: number };
  success_rate: number | null;
  by_currency: Array<{ currency: string; collected: number; refunded: number }>;
};

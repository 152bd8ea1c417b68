// The public surface of @paygate/client: no server dependencies (no database, queue or HTTP
// server libraries), so a merchant's backend, pg-cli and dashboards install it alone.
export { PaygateRestClient } from './rest-client.js';
export type { PaygateConnection, CallOptions } from './http.js';
export { PaygateApiError, GatewayUnreachableError } from './errors.js';
export type { EventStreamOptions, FollowOptions } from './event-stream.js';
export { createPaygateClient } from './trpc-client.js';
export type { PaygateClientOptions, AppRouter } from './trpc-client.js';
export type {
  CardInput,
  CardPayment,
  CaptureInput,
  ClockState,
  CreateMerchantInput,
  CreateOrderInput,
  CreatePaymentInput,
  CreateRefundInput,
  DeliveryStatus,
  ErrorBody,
  EventEnvelope,
  EventListQuery,
  Health,
  JobStatus,
  ListOf,
  ListQuery,
  Notes,
  Order,
  OrderStatus,
  Payment,
  PaymentListQuery,
  PaymentMethod,
  PaymentStatus,
  QueueCounts,
  Readiness,
  Refund,
  RefundStatus,
  ResetResult,
  Stats,
  TestMerchant,
  Timestamp,
  UpiPayment,
  WebhookAttempt,
  WebhookConfig,
  WebhookConfigInput,
  WebhookDelivery,
  WebhookListQuery,
  WebhookRetryResult,
  WebhookTestResult,
} from './wire.js';

import { followEventStream, openEventStream, type EventStreamOptions, type FollowOptions } from './event-stream.js';
import { HttpTransport, type CallOptions, type PaygateConnection } from './http.js';
import type {
  CaptureInput,
  ClockState,
  CreateMerchantInput,
  CreateOrderInput,
  CreatePaymentInput,
  CreateRefundInput,
  EventEnvelope,
  EventListQuery,
  Health,
  JobStatus,
  ListOf,
  ListQuery,
  Order,
  Payment,
  PaymentListQuery,
  Readiness,
  Refund,
  ResetResult,
  Stats,
  TestMerchant,
  WebhookConfig,
  WebhookConfigInput,
  WebhookDelivery,
  WebhookListQuery,
  WebhookRetryResult,
  WebhookTestResult,
} from './wire.js';

const seg = (id: string) => encodeURIComponent(id);

/**
 * The REST API (`/api/v1`, DESIGN.md "API contract") over plain fetch, one method per route,
 * answering the REST objects themselves. Errors: {@link PaygateApiError} when the gateway
 * refused, {@link GatewayUnreachableError} when it could not be reached.
 *
 * ```ts
 * const paygate = new PaygateRestClient({ apiUrl: 'http://127.0.0.1:8000', apiKey, apiSecret });
 * const order = await paygate.orders.create({ amount: 50000, currency: 'INR' }, { idempotencyKey: 'order-42' });
 * ```
 */
export class PaygateRestClient {
  readonly #http: HttpTransport;

  constructor(options: PaygateConnection) {
    this.#http = new HttpTransport(options);
  }

  /** The gateway's base URL, without a trailing slash. */
  get apiUrl(): string {
    return this.#http.apiUrl;
  }

  readonly orders = {
    create: (input: CreateOrderInput, options?: CallOptions) => this.#http.request<Order>({ method: 'POST', path: '/api/v1/orders', body: input }, options),
    get: (id: string, options?: CallOptions) => this.#http.request<Order>({ method: 'GET', path: `/api/v1/orders/${seg(id)}` }, options),
    list: (query: ListQuery = {}, options?: CallOptions) => this.#http.request<ListOf<Order>>({ method: 'GET', path: '/api/v1/orders', query }, options),
  };

  readonly payments = {
    /** Answers at once with `status: "pending"`; the outcome follows (poll `get`, or the event stream). */
    create: (input: CreatePaymentInput, options?: CallOptions) =>
      this.#http.request<Payment>({ method: 'POST', path: '/api/v1/payments', body: input }, options),
    get: (id: string, options?: CallOptions) => this.#http.request<Payment>({ method: 'GET', path: `/api/v1/payments/${seg(id)}` }, options),
    list: (query: PaymentListQuery = {}, options?: CallOptions) =>
      this.#http.request<ListOf<Payment>>({ method: 'GET', path: '/api/v1/payments', query }, options),
    capture: (id: string, input: CaptureInput = {}, options?: CallOptions) =>
      this.#http.request<Payment>({ method: 'POST', path: `/api/v1/payments/${seg(id)}/capture`, body: input }, options),
    /** A payment's refunds. */
    refunds: (id: string, query: ListQuery = {}, options?: CallOptions) =>
      this.#http.request<ListOf<Refund>>({ method: 'GET', path: `/api/v1/payments/${seg(id)}/refunds`, query }, options),
  };

  readonly refunds = {
    /** A full refund without `amount`; a partial one with it. */
    create: (paymentId: string, input: CreateRefundInput = {}, options?: CallOptions) =>
      this.#http.request<Refund>({ method: 'POST', path: `/api/v1/payments/${seg(paymentId)}/refunds`, body: input }, options),
    get: (id: string, options?: CallOptions) => this.#http.request<Refund>({ method: 'GET', path: `/api/v1/refunds/${seg(id)}` }, options),
    list: (query: ListQuery = {}, options?: CallOptions) => this.#http.request<ListOf<Refund>>({ method: 'GET', path: '/api/v1/refunds', query }, options),
  };

  readonly webhooks = {
    /** The delivery log, newest first, with every attempt; filters: `status`, `event`. */
    list: (query: WebhookListQuery = {}, options?: CallOptions) =>
      this.#http.request<ListOf<WebhookDelivery>>({ method: 'GET', path: '/api/v1/webhooks', query }, options),
    get: (id: string, options?: CallOptions) => this.#http.request<WebhookDelivery>({ method: 'GET', path: `/api/v1/webhooks/${seg(id)}` }, options),
    /** Delivers a failed (or delivered) delivery again, now. */
    retry: (id: string, options?: CallOptions) =>
      this.#http.request<WebhookRetryResult>({ method: 'POST', path: `/api/v1/webhooks/${seg(id)}/retry` }, options),
    config: {
      get: (options?: CallOptions) => this.#http.request<WebhookConfig>({ method: 'GET', path: '/api/v1/webhooks/config' }, options),
      update: (input: WebhookConfigInput, options?: CallOptions) =>
        this.#http.request<WebhookConfig>({ method: 'PUT', path: '/api/v1/webhooks/config', body: input }, options),
    },
    secret: {
      /** A new secret; the old one keeps signing (both signatures) for a grace period. */
      regenerate: (options?: CallOptions) => this.#http.request<WebhookConfig>({ method: 'POST', path: '/api/v1/webhooks/secret/regenerate' }, options),
    },
    /** Sends a `webhook.test` event to the configured URL. */
    test: (options?: CallOptions) => this.#http.request<WebhookTestResult>({ method: 'POST', path: '/api/v1/webhooks/test' }, options),
  };

  /** Test mode only (`/api/v1/test/*`): a 404 elsewhere. */
  readonly test = {
    clock: {
      get: (options?: CallOptions) => this.#http.request<ClockState>({ method: 'GET', path: '/api/v1/test/clock' }, options),
      /** Moves the gateway clock forward; retries that came due fire at once. */
      advance: (seconds: number, options?: CallOptions) =>
        this.#http.request<ClockState>({ method: 'POST', path: '/api/v1/test/clock/advance', body: { seconds } }, options),
    },
    /** Empties the data (every merchant's) and resets the clock. */
    reset: (options?: CallOptions) => this.#http.request<ResetResult>({ method: 'POST', path: '/api/v1/test/reset' }, options),
    jobs: {
      status: (options?: CallOptions) => this.#http.request<JobStatus>({ method: 'GET', path: '/api/v1/test/jobs/status' }, options),
    },
    merchants: {
      /** Another tenant; its secret is in this answer only. */
      create: (input: CreateMerchantInput, options?: CallOptions) =>
        this.#http.request<TestMerchant>({ method: 'POST', path: '/api/v1/test/merchants', body: input }, options),
    },
  };

  readonly events = {
    /** Recorded events, newest first (`?payment_id=` for one payment's timeline, by sequence). */
    list: (query: EventListQuery = {}, options?: CallOptions) =>
      this.#http.request<ListOf<EventEnvelope>>({ method: 'GET', path: '/api/v1/events', query }, options),
    /**
     * The merchant's events live (`GET /api/v1/events/stream`), one connection: the iteration
     * ends when the gateway closes it; resume with the last event's id as `lastEventId`.
     */
    stream: (options: EventStreamOptions = {}): AsyncIterable<EventEnvelope> => openEventStream(this.#http, options),
    /**
     * The event stream across gateway restarts and network drops: reconnects with backoff and
     * `Last-Event-ID` (nothing missed, nothing twice) until `signal` aborts.
     */
    follow: (options: FollowOptions = {}): AsyncIterable<EventEnvelope> => followEventStream(this.#http, options),
  };

  /** Payments created since `since` by status, the success rate, and money collected and refunded per currency. */
  stats(since: Date | string, options?: CallOptions): Promise<Stats> {
    const at = typeof since === 'string' ? since : since.toISOString();
    return this.#http.request<Stats>({ method: 'GET', path: '/api/v1/stats', query: { since: at } }, options);
  }

  /** Liveness: the process answers. */
  health(options?: CallOptions): Promise<Health> {
    return this.#http.request<Health>({ method: 'GET', path: '/health', authenticated: false }, options);
  }

  /** Readiness: database and queue; answers the checks whether ready (200) or not (503). */
  ready(options?: CallOptions): Promise<Readiness> {
    return this.#http.request<Readiness>({ method: 'GET', path: '/ready', authenticated: false, acceptStatuses: [503] }, options);
  }
}

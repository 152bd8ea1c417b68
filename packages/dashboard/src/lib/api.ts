import {
  GatewayUnreachableError,
  PaygateApiError,
  PaygateRestClient,
  type EventEnvelope,
  type JobStatus as ClientJobStatus,
  type ListOf,
  type Order as ClientOrder,
  type Payment as ClientPayment,
  type PaymentListQuery,
  type Refund as ClientRefund,
  type Stats as ClientStats,
  type WebhookConfig as ClientWebhookConfig,
  type WebhookDelivery,
} from '@paygate/client';

/**
 * Every call the dashboard makes to the gateway goes through this module, on `@paygate/client`
 * (the same typed client pg-cli and merchants' backends use). Same origin: the gateway serves
 * the page, so there is no CORS and the secret never leaves this origin.
 */

export type Credentials = { apiKey: string; apiSecret: string };
export type List<T> = ListOf<T>;
export type Payment = ClientPayment;
export type Order = ClientOrder;
export type Refund = ClientRefund;
export type GatewayEvent = EventEnvelope;
export type Delivery = WebhookDelivery;
export type Attempt = WebhookDelivery['attempt_log'][number];
export type WebhookConfig = ClientWebhookConfig;
export type Stats = ClientStats;
export type JobStatus = ClientJobStatus;
export type PaymentFilters = PaymentListQuery;

export type Session = { mode: 'development' | 'test' | 'production'; seed_credentials: { api_key: string; api_secret: string } | null };

/** What the pages show of a failed call: the gateway's code and words, or that it could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly field?: string,
  ) {
    super(description);
    this.name = 'ApiError';
  }
}

function toApiError(error: unknown): unknown {
  if (error instanceof PaygateApiError) return new ApiError(error.status, error.code, error.description, error.field);
  if (error instanceof GatewayUnreachableError) {
    return new ApiError(0, 'NETWORK_ERROR', 'The gateway could not be reached. Is it still running? Start it with `npx pg-cli dev`, then reload.');
  }
  return error;
}

/** Runs a client call, with its errors as {@link ApiError}. */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toApiError(error);
  }
}

/** What the gateway says about itself to the page: its mode, and the seed credentials in development and test mode. */
export async function fetchSession(): Promise<Session> {
  const response = await fetch('/dashboard/session', { cache: 'no-store' });
  if (!response.ok) throw new ApiError(response.status, 'SERVER_ERROR', `The gateway answered ${response.status}.`);
  return (await response.json()) as Session;
}

export class Api {
  private readonly client: PaygateRestClient;

  constructor(private readonly credentials: Credentials) {
    this.client = new PaygateRestClient({ apiUrl: location.origin, apiKey: credentials.apiKey, apiSecret: credentials.apiSecret });
  }

  get apiKey(): string {
    return this.credentials.apiKey;
  }

  getWebhookConfig = () => call(() => this.client.webhooks.config.get());
  updateWebhookConfig = (input: { webhook_url: string | null; events?: string[] | null }) => call(() => this.client.webhooks.config.update(input));
  rotateWebhookSecret = () => call(() => this.client.webhooks.secret.regenerate());
  sendTestWebhook = () => call(() => this.client.webhooks.test());
  listDeliveries = (query: { limit: number; offset: number; status?: string | undefined; payment_id?: string | undefined }) =>
    call(() => this.client.webhooks.list(definedOnly(query)));
  retryDelivery = (id: string) => call(() => this.client.webhooks.retry(id));

  listPayments = (filters: PaymentFilters) => call(() => this.client.payments.list(definedOnly(filters)));
  getPayment = (id: string) => call(() => this.client.payments.get(id));
  getOrder = (id: string) => call(() => this.client.orders.get(id));
  listRefunds = (paymentId: string) => call(() => this.client.payments.refunds(paymentId, { limit: 100 }));
  createRefund = (paymentId: string, amount: number | undefined, idempotencyKey: string) =>
    call(() => this.client.refunds.create(paymentId, amount === undefined ? {} : { amount }, { idempotencyKey }));

  listEvents = (query: { limit: number; offset?: number; payment_id?: string }) => call(() => this.client.events.list(query));
  getStats = (since: Date) => call(() => this.client.stats(since));
  getJobStatus = () => call(() => this.client.test.jobs.status());

  advanceClock = (seconds: number) => call(() => this.client.test.clock.advance(seconds));
  resetData = () => call(() => this.client.test.reset());

  /**
   * The merchant's live events across drops and gateway restarts (the client reconnects with
   * Last-Event-ID, so nothing is missed or doubled) until `signal` aborts.
   */
  followEvents(options: { signal: AbortSignal; onOpen: () => void; onReconnect: () => void }): AsyncIterable<GatewayEvent> {
    return this.client.events.follow(options);
  }
}

/** Leaves out filters that are not set (`exactOptionalPropertyTypes`-safe, and no `status=` in the URL). */
function definedOnly<T extends Record<string, unknown>>(query: T): T {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== '')) as T;
}

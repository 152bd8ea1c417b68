/**
 * Every call the dashboard makes to the gateway goes through this module, so the transport
 * (plain fetch today, `@paygate/client` when it lands) changes in one place. Same origin: the
 * gateway serves the page, so there is no CORS and the secret never leaves this origin.
 */

export type Credentials = { apiKey: string; apiSecret: string };

export type List<T> = { data: T[]; total: number; limit: number; offset: number };

export type Payment = {
  id: string;
  order_id: string;
  amount: number;
  currency: string;
  method: 'upi' | 'card';
  vpa?: string | null;
  card_network?: string | null;
  card_last4?: string | null;
  status: 'pending' | 'success' | 'failed';
  error_code: string | null;
  error_description: string | null;
  captured: boolean;
  amount_refunded: number;
  refundable_amount: number;
  created_at: string;
  updated_at: string;
};

export type Order = {
  id: string;
  amount: number;
  currency: string;
  receipt: string | null;
  notes: Record<string, string>;
  status: string;
  created_at: string;
};

export type Refund = {
  id: string;
  payment_id: string;
  amount: number;
  currency: string;
  reason: string | null;
  status: 'pending' | 'processed' | 'failed';
  created_at: string;
  processed_at: string | null;
};

export type GatewayEvent = { id: string; event: string; timestamp: string; sequence: number; data: Record<string, unknown> };

export type Attempt = {
  attempt: number;
  url: string;
  attempted_at: string;
  status_code: number | null;
  latency_ms: number | null;
  response_body: string | null;
  error: string | null;
  succeeded: boolean;
};

export type Delivery = {
  id: string;
  event: string;
  event_id: string;
  status: 'pending' | 'success' | 'failed';
  attempts: number;
  created_at: string;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  response_code: number | null;
  payload: GatewayEvent;
  attempt_log: Attempt[];
};

export type WebhookConfig = {
  webhook_url: string | null;
  enabled: boolean;
  events: string[] | null;
  webhook_secret: string;
  previous_secret_expires_at: string | null;
};

export type Stats = {
  since: string;
  payments: { total: number; success: number; failed: number; pending: number };
  success_rate: number | null;
  by_currency: Array<{ currency: string; collected: number; refunded: number }>;
};

export type JobStatus = { pending: number; processing: number; completed: number; failed: number; worker_status: string };

export type Session = { mode: 'development' | 'test' | 'production'; seed_credentials: { api_key: string; api_secret: string } | null };

export type PaymentFilters = {
  limit: number;
  offset: number;
  status?: string | undefined;
  method?: string | undefined;
  order_id?: string | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
};

/** An error the gateway answered with its envelope (or a network failure, code NETWORK_ERROR). */
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

const API = '/api/v1';

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function readError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; description?: string; field?: string } };
    if (body.error?.code) return new ApiError(response.status, body.error.code, body.error.description ?? response.statusText, body.error.field);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, 'SERVER_ERROR', `The gateway answered ${response.status} ${response.statusText}.`);
}

/** What the gateway says about itself to the page: its mode, and the seed credentials in development and test mode. */
export async function fetchSession(): Promise<Session> {
  const response = await fetch('/dashboard/session', { cache: 'no-store' });
  if (!response.ok) throw await readError(response);
  return (await response.json()) as Session;
}

export class Api {
  constructor(private readonly credentials: Credentials) {}

  get apiKey(): string {
    return this.credentials.apiKey;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'X-Api-Key': this.credentials.apiKey, 'X-Api-Secret': this.credentials.apiSecret, ...extra };
  }

  private async request<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${API}${path}`, {
        method,
        headers: this.headers(body === undefined ? extraHeaders : { 'Content-Type': 'application/json', ...extraHeaders }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', 'The gateway could not be reached. Is it still running? Start it with `npx pg-cli dev`, then reload.');
    }
    if (!response.ok) throw await readError(response);
    return (await response.json()) as T;
  }

  getWebhookConfig = () => this.request<WebhookConfig>('GET', '/webhooks/config');
  updateWebhookConfig = (input: { webhook_url: string | null; events?: string[] | null }) => this.request<WebhookConfig>('PUT', '/webhooks/config', input);
  rotateWebhookSecret = () => this.request<WebhookConfig>('POST', '/webhooks/secret/regenerate');
  sendTestWebhook = () => this.request<{ event_id: string; delivery_id: string; webhook_url: string | null; status: string }>('POST', '/webhooks/test');
  listDeliveries = (params: { limit: number; offset: number; status?: string | undefined; payment_id?: string | undefined }) =>
    this.request<List<Delivery>>('GET', `/webhooks${query(params)}`);
  retryDelivery = (id: string) => this.request<{ id: string; status: string; message: string }>('POST', `/webhooks/${encodeURIComponent(id)}/retry`);

  listPayments = (filters: PaymentFilters) => this.request<List<Payment>>('GET', `/payments${query(filters)}`);
  getPayment = (id: string) => this.request<Payment>('GET', `/payments/${encodeURIComponent(id)}`);
  getOrder = (id: string) => this.request<Order>('GET', `/orders/${encodeURIComponent(id)}`);
  listRefunds = (paymentId: string) => this.request<List<Refund>>('GET', `/payments/${encodeURIComponent(paymentId)}/refunds?limit=100`);
  createRefund = (paymentId: string, amount: number | undefined, idempotencyKey: string) =>
    this.request<Refund>('POST', `/payments/${encodeURIComponent(paymentId)}/refunds`, amount === undefined ? {} : { amount }, {
      'Idempotency-Key': idempotencyKey,
    });

  listEvents = (params: { limit: number; offset?: number; payment_id?: string }) => this.request<List<GatewayEvent>>('GET', `/events${query(params)}`);
  getStats = (since: Date) => this.request<Stats>('GET', `/stats${query({ since: since.toISOString() })}`);
  getJobStatus = () => this.request<JobStatus>('GET', '/test/jobs/status');

  advanceClock = (seconds: number) => this.request<{ now: string; offset_seconds: number }>('POST', '/test/clock/advance', { seconds });
  resetData = () => this.request<{ reset: boolean }>('POST', '/test/reset');

  /**
   * The merchant's live events (`GET /events/stream`, Server-Sent Events read through fetch,
   * since EventSource cannot send the API headers). Yields each event until `signal` aborts;
   * throws when the connection fails, and the caller decides when to reconnect.
   */
  async *streamEvents(signal: AbortSignal, lastEventId?: string): AsyncGenerator<GatewayEvent> {
    const response = await fetch(`${API}/events/stream`, {
      headers: this.headers({ Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) }),
      signal,
      cache: 'no-store',
    });
    if (!response.ok || !response.body) throw await readError(response);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        const data = frame
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data) yield JSON.parse(data) as GatewayEvent;
      }
    }
  }
}

import { buildWebhookHeaders, parseRetryAfter } from '@paygate/core/domain';

/** How long a receiver may take to answer a forward, as the gateway gives a real delivery (10 s). */
export const FORWARD_TIMEOUT_MS = 10_000;
const EXCERPT_LENGTH = 200;

/** One forward attempt: what the receiver said (or why nothing came back), and how long it took. */
export type ForwardOutcome = {
  /** 2xx: delivered. Redirects are not followed and count as failures, as for real deliveries. */
  ok: boolean;
  statusCode: number | null;
  /** Why no answer came (`ECONNREFUSED`, `timeout after 10000 ms`, …); null when one did. */
  error: string | null;
  latencyMs: number;
  /** The receiver's `Retry-After`, in ms, when it sent one. */
  retryAfterMs: number | undefined;
  /** The start of the receiver's answer, for the screen. */
  responseExcerpt: string;
};

export type ForwardRequest = {
  url: string;
  eventId: string;
  /** The event's envelope, exactly as the gateway would send it. */
  body: string;
  /** The merchant's current webhook secret. */
  secret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Aborting it (Ctrl-C) cuts the attempt off; it then counts as not delivered. */
  signal?: AbortSignal;
  /** Real time, for the signed `webhook-timestamp` (receivers check it against their clock). */
  now?: () => Date;
  /** Monotonic ms, for the latency. */
  monotonicNow?: () => number;
};

/**
 * POSTs one event to the local receiver signed exactly as a real delivery: the Standard Webhooks
 * headers (`webhook-id` = the event id, a fresh `webhook-timestamp`, `webhook-signature`) and the
 * seed's `X-Webhook-Signature`, made by core's signing code with the merchant's secret, so the
 * receiver's verification code runs unchanged against `pg-cli listen`.
 */
export async function forwardEvent(request: ForwardRequest): Promise<ForwardOutcome> {
  const { url, eventId, body, secret, timeoutMs = FORWARD_TIMEOUT_MS, signal } = request;
  const fetchImpl = request.fetch ?? globalThis.fetch;
  const now = request.now ?? (() => new Date());
  const monotonicNow = request.monotonicNow ?? (() => performance.now());
  const sentAt = now();
  const headers = await buildWebhookHeaders({ secrets: [secret], id: eventId, timestamp: Math.floor(sentAt.getTime() / 1000), body });
  const timeout = AbortSignal.timeout(timeoutMs);
  const started = monotonicNow();
  const latency = () => Math.max(0, Math.round(monotonicNow() - started));
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'pg-cli-listen', ...headers },
      body,
      redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await response.text().catch(() => '');
    return {
      ok: response.status >= 200 && response.status < 300,
      statusCode: response.status,
      error: null,
      latencyMs: latency(),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after') ?? undefined, now()),
      responseExcerpt: text.slice(0, EXCERPT_LENGTH),
    };
  } catch (error) {
    const reason = timeout.aborted && !signal?.aborted ? `timeout after ${timeoutMs} ms` : signal?.aborted ? 'stopped' : describeFetchError(error);
    return { ok: false, statusCode: null, error: reason, latencyMs: latency(), retryAfterMs: undefined, responseExcerpt: '' };
  }
}

/** The system code under a fetch failure (`TypeError('fetch failed')` → cause → `ECONNREFUSED`), or its message. */
function describeFetchError(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const inner = (e as { errors?: unknown[] }).errors?.[0];
    if (inner && typeof (inner as { code?: unknown }).code === 'string') return (inner as { code: string }).code;
  }
  return error instanceof Error ? error.message : String(error);
}

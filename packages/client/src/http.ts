import { GatewayUnreachableError, PaygateApiError, errorOfBody } from './errors.js';

/** How the client reaches a gateway. Unknown keys are refused (a typo must not pass silently). */
export type PaygateConnection = {
  /** The gateway's base URL, e.g. `http://127.0.0.1:8000`. */
  apiUrl: string;
  apiKey: string;
  apiSecret: string;
  /** A fetch to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: typeof fetch;
  /** How long one request may take before it counts as unreachable (default 30 s). */
  timeoutMs?: number;
};

const ALLOWED_OPTIONS: ReadonlySet<string> = new Set(['apiUrl', 'apiKey', 'apiSecret', 'fetch', 'timeoutMs']);
const DEFAULT_TIMEOUT_MS = 30_000;

/** Per-call options. */
export type CallOptions = {
  /** Sent as `Idempotency-Key` on creating POSTs: a retry with the same key and body replays the first answer. */
  idempotencyKey?: string;
  /** Cancels the request (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
};

export type RequestSpec = {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Statuses besides 2xx whose JSON body is the answer (`/ready` answers 503 with its checks). */
  acceptStatuses?: readonly number[];
  /** Whether to send the secret (false for health checks, which need none). */
  authenticated?: boolean;
};

/** System error codes that mean the gateway was never reached or went away mid-request. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** The system code buried in a fetch failure (`TypeError('fetch failed')` with a `cause` chain). */
function systemCodeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
    const errors = (e as { errors?: unknown }).errors; // AggregateError: one per address tried
    if (Array.isArray(errors)) for (const inner of errors) if (systemCodeOf(inner)) return systemCodeOf(inner);
  }
  return undefined;
}

/** Fetch failures (not HTTP error answers) as {@link GatewayUnreachableError}; the caller's own abort passes through. */
export function toTransportError(error: unknown, url: string, callerSignal: AbortSignal | undefined): unknown {
  if (callerSignal?.aborted) return callerSignal.reason ?? error;
  if (error instanceof GatewayUnreachableError || error instanceof PaygateApiError) return error;
  const name = (error as { name?: unknown }).name;
  if (name === 'TimeoutError') return new GatewayUnreachableError(url, 'TIMEOUT', { cause: error });
  const code = systemCodeOf(error);
  if (code) return new GatewayUnreachableError(url, code, { cause: error });
  if (error instanceof TypeError && error.message === 'fetch failed') return new GatewayUnreachableError(url, 'fetch failed', { cause: error });
  return error;
}

/** The REST transport: credentials, JSON, error envelopes and unreachable gateways, once. */
export class HttpTransport {
  readonly apiUrl: string;
  readonly #options: PaygateConnection;
  readonly #fetch: typeof fetch;

  constructor(options: PaygateConnection) {
    const unknown = Object.keys(options).filter((k) => !ALLOWED_OPTIONS.has(k));
    if (unknown.length > 0) throw new TypeError(`Unknown Paygate client option(s): ${unknown.join(', ')}; allowed: ${[...ALLOWED_OPTIONS].join(', ')}`);
    for (const key of ['apiUrl', 'apiKey', 'apiSecret'] as const) {
      if (typeof options[key] !== 'string' || options[key] === '') throw new TypeError(`Paygate client option ${key} must be a non-empty string`);
    }
    let url: URL;
    try {
      url = new URL(options.apiUrl);
    } catch {
      throw new TypeError(`Paygate client option apiUrl must be an http(s) URL such as http://127.0.0.1:8000; got '${options.apiUrl}'`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`Paygate client option apiUrl must be http(s); got '${options.apiUrl}'`);
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.#options = options;
    // Called through a wrapper: a browser's fetch called as a method of another object throws
    // "Illegal invocation" (it must be called with the window as `this`).
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get apiKey(): string {
    return this.#options.apiKey;
  }

  /** The headers that authenticate a merchant call. */
  credentials(): Record<string, string> {
    return { 'x-api-key': this.#options.apiKey, 'x-api-secret': this.#options.apiSecret };
  }

  urlOf(path: string, query: RequestSpec['query'] = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.apiUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  /** A fetch with the credentials and the timeout applied; failures to connect become {@link GatewayUnreachableError}. */
  async fetch(url: string, init: RequestInit & { authenticated?: boolean; timeout?: boolean }, callerSignal: AbortSignal | undefined): Promise<Response> {
    const { authenticated = true, timeout = true, ...rest } = init;
    const signals = [callerSignal, timeout ? AbortSignal.timeout(this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const headers = { ...(authenticated ? this.credentials() : {}), ...(rest.headers as Record<string, string> | undefined) };
    try {
      return await this.#fetch(url, { ...rest, headers, ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}) });
    } catch (error) {
      throw toTransportError(error, url, callerSignal);
    }
  }

  /** One JSON call: the parsed body of a 2xx (or accepted) answer, else a {@link PaygateApiError}. */
  async request<T>(spec: RequestSpec, options: CallOptions = {}): Promise<T> {
    const url = this.urlOf(spec.path, spec.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    const response = await this.fetch(
      url,
      {
        method: spec.method,
        headers,
        authenticated: spec.authenticated ?? true,
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
      },
      options.signal,
    );
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw toTransportError(error, url, options.signal);
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok || spec.acceptStatuses?.includes(response.status)) {
      if (body === undefined)
        throw new PaygateApiError(response.status, { code: 'SERVER_ERROR', description: `The gateway answered ${response.status} without a JSON body.` });
      return body as T;
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new PaygateApiError(
      response.status,
      errorOfBody(body) ?? {
        code: response.status === 404 ? 'NOT_FOUND_ERROR' : 'SERVER_ERROR',
        description: `The gateway answered ${response.status} ${response.statusText} without an error body${text ? `: ${text.slice(0, 200)}` : ''}.`,
      },
      { retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined },
    );
  }
}

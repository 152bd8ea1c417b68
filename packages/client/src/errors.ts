import type { ErrorBody } from './wire.js';

/**
 * The gateway answered with an error (`{"error": {code, description, field?}}`): the request
 * reached it and was refused. Branch on `code` (e.g. `NOT_FOUND_ERROR`), never on the text.
 */
export class PaygateApiError extends Error {
  override readonly name = 'PaygateApiError';
  /** The HTTP status, e.g. 404. */
  readonly status: number;
  /** The catalogue code, e.g. `BAD_REQUEST_ERROR`. */
  readonly code: string;
  readonly description: string;
  /** The input field at fault, when one is. */
  readonly field: string | undefined;
  /** Seconds the gateway asked to wait (`Retry-After`), on 429 and 503. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, error: ErrorBody['error'], options: { retryAfterSeconds?: number | undefined } = {}) {
    super(`${error.code}: ${error.description}${error.field ? ` (${error.field})` : ''}`);
    this.status = status;
    this.code = error.code;
    this.description = error.description;
    this.field = error.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * No answer from the gateway: the connection was refused or reset, the host did not resolve,
 * or the request timed out. Nothing says whether the gateway acted on the request, so a retry
 * of a creating call should carry the same `idempotencyKey`.
 */
export class GatewayUnreachableError extends Error {
  override readonly name = 'GatewayUnreachableError';
  /** The URL that was asked. */
  readonly url: string;
  /** The system's code when there is one (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`), or `TIMEOUT`. */
  readonly reason: string;

  constructor(url: string, reason: string, options: { cause?: unknown } = {}) {
    super(`The gateway at ${new URL(url).origin} did not answer (${reason}).`, options.cause === undefined ? {} : { cause: options.cause });
    this.url = url;
    this.reason = reason;
  }
}

/** The error body's `error`, or undefined when the body is not the gateway's envelope (a proxy's HTML page, say). */
export function errorOfBody(body: unknown): ErrorBody['error'] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, description, field } = error as Record<string, unknown>;
  if (typeof code !== 'string' || typeof description !== 'string') return undefined;
  return typeof field === 'string' ? { code, description, field } : { code, description };
}

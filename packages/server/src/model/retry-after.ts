import type { PaygateError } from '@paygate/core';

/**
 * What `Retry-After` says when a dependency (the database) is unreachable: long enough for a
 * reconnect. REST and tRPC also use it for a 503 that names no wait of its own.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** A PaygateError that also says when to come back: rendered as `Retry-After` on REST and tRPC. */
export type RetryLaterError = PaygateError & { readonly retryAfterSeconds: number };

/** Marks `error` with the seconds a client should wait before retrying. */
export function withRetryAfter(error: PaygateError, seconds: number): RetryLaterError {
  return Object.assign(error, { retryAfterSeconds: Math.max(1, Math.ceil(seconds)) });
}

/** The seconds `error` asks a client to wait, if it says. */
export function retryAfterOf(error: unknown): number | undefined {
  const seconds = (error as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' ? seconds : undefined;
}

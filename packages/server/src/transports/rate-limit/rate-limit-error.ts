import { PaygateError } from '@paygate/core';
import { withRetryAfter, type RetryLaterError } from '../../model/retry-after.js';

/** Who ran out: a merchant (authenticated), or an address (no valid credentials yet). */
export type RateSubject = { kind: 'merchant'; id: string } | { kind: 'address'; ip: string };

export const subjectKey = (s: RateSubject) => (s.kind === 'merchant' ? `merchant:${s.id}` : `ip:${s.ip}`);

/** `429 RATE_LIMIT_ERROR` with Retry-After, on REST and tRPC alike. */
export function rateLimitError(subject: RateSubject, limit: number, retryAfterSeconds: number): RetryLaterError {
  const per = subject.kind === 'merchant' ? 'per minute per merchant' : 'per minute for requests without valid credentials from one address';
  return withRetryAfter(
    new PaygateError('RATE_LIMIT_ERROR', `Too many requests: the limit is ${limit} ${per}. Retry after ${retryAfterSeconds} s.`),
    retryAfterSeconds,
  );
}

import { nextAttempt, parseRetryAfter, type NextAttemptOptions } from '@paygate/core';
import type { SendResult } from '../../ports/http-sender.js';

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

/**
 * Where an attempt leaves its delivery: delivered, due again at `at`, or failed. `endpointGone`
 * says the receiver answered 410, so its endpoint must be disabled.
 */
export type NextStep = { outcome: 'delivered' } | { outcome: 'retry'; at: Date } | { outcome: 'failed'; endpointGone: boolean };

/** Whether the receiver took the delivery: any 2xx. */
export const isDelivered = (result: Pick<SendResult, 'statusCode'>): boolean =>
  result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;

/**
 * Decides the next step of a delivery from the receiver's answer to one attempt and core's
 * retry policy (`retry`: schedule, random and jitter; the receiver's `Retry-After` is added
 * here). `attemptsBefore` counts the attempts made before this one. Pure.
 */
export function decideNextStep(
  result: Pick<SendResult, 'statusCode' | 'retryAfter'>,
  attemptsBefore: number,
  now: Date,
  retry: Omit<NextAttemptOptions, 'retryAfterMs'>,
): NextStep {
  if (isDelivered(result)) return { outcome: 'delivered' };
  // 410 Gone: the merchant says this endpoint is no more. Give up, and stop sending to it.
  if (result.statusCode === 410) return { outcome: 'failed', endpointGone: true };
  const retryAfterMs = parseRetryAfter(result.retryAfter, now);
  const next = nextAttempt(attemptsBefore + 1, now, { ...retry, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  return next.kind === 'retry' ? { outcome: 'retry', at: next.at } : { outcome: 'failed', endpointGone: false };
}

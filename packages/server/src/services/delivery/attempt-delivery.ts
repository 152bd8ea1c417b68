import { DELIVERY_MACHINE, RETRY_SCHEDULES, transition } from '@paygate/core';
import { disableWebhookEndpoint } from '../../adapters/db/operations/merchants.js';
import type { AttemptOutcome, DeliveryToAttempt } from '../../adapters/db/operations/deliveries.js';
import { toStorableText } from '../../lib/storable-text.js';
import type { SendResult } from '../../ports/http-sender.js';
import type { ServiceDeps } from '../service-deps.js';
import { decideNextStep, isDelivered, type DeliveryOutcome, type NextStep } from './next-step.js';
import { signedRequest } from './signed-request.js';

/**
 * One HTTP attempt of a delivery this worker holds the lease on: signs it with every active
 * secret, posts it, and works out from the answer (and core's retry policy) where it leaves the
 * delivery. What the receiver sent back is made safe to store. Every attempt, whatever made the
 * delivery, is made here and logs one `webhook attempt` line at debug level (`attempt` counts
 * from 1 again after a manual retry, as the delivery's `attempts` does).
 */
export async function attemptDelivery(deps: ServiceDeps, d: DeliveryToAttempt): Promise<AttemptOutcome> {
  const { clock, config } = deps;
  const url = d.webhook_url!; // the dispatcher sends only deliveries with a URL
  const now = clock.now();
  const { body, headers } = await signedRequest(d, now, clock.realNow());
  const result = await deps.httpSender.send({ url, headers, body, timeoutMs: config.webhookTimeoutMs });
  const step = decideNextStep(result, d.attempts, now, {
    schedule: config.webhookRetryIntervalsTest ? RETRY_SCHEDULES.test : RETRY_SCHEDULES.production,
    random: deps.random,
    jitter: config.webhookRetryJitter,
  });
  if (step.outcome === 'failed' && step.endpointGone) {
    // Stop sending until the merchant saves a URL again; a URL saved while this attempt was out
    // is a new endpoint and stays enabled.
    await disableWebhookEndpoint({ db: deps.db, id: d.merchant_id, url, now });
  }
  const { outcome } = step;
  // One line per attempt, from the one place attempts are made: what an operator reads to follow
  // a delivery (the URL stays out: merchants put tokens in it).
  deps.log.debug(
    {
      deliveryId: d.id,
      eventId: d.event_id,
      eventType: d.event_type,
      attempt: d.attempts + 1,
      outcome,
      statusCode: result.statusCode ?? null,
      latencyMs: result.latencyMs,
      ...(result.error ? { error: result.error } : {}),
    },
    'webhook attempt',
  );
  deps.metrics.deliveryAttempts.inc(outcome);
  deps.metrics.deliveryLatency.observe(result.latencyMs / 1000);
  return attemptOutcome(d, url, now, result, step);
}

const MACHINE_EVENT = { delivered: 'deliver', retry: 'schedule_retry', failed: 'give_up' } as const satisfies Record<DeliveryOutcome, string>;

/** The record of an attempt (its row, and where it moves the delivery), as the recorder stores it. */
function attemptOutcome(d: DeliveryToAttempt, url: string, now: Date, result: SendResult, step: NextStep): AttemptOutcome {
  const succeeded = isDelivered(result);
  return {
    id: d.id,
    claimedAttempts: d.attempts,
    attempt: {
      url,
      attempted_at: now,
      status_code: result.statusCode ?? null,
      latency_ms: result.latencyMs,
      response_body: result.responseBody === undefined ? null : toStorableText(result.responseBody),
      error: succeeded ? null : toStorableText(result.error ?? `HTTP ${result.statusCode}`),
      succeeded,
    },
    next: {
      status: transition(DELIVERY_MACHINE, 'pending', MACHINE_EVENT[step.outcome]),
      nextAttemptAt: step.outcome === 'retry' ? step.at : null,
    },
  };
}

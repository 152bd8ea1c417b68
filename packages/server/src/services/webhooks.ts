import {
  DELIVERY_MACHINE,
  PaygateError,
  RETRY_SCHEDULES,
  buildWebhookHeaders,
  newId,
  nextAttempt,
  parseRetryAfter,
  transition,
  type ListQueryInput,
} from '@paygate/core';
import { toEventEnvelope, toWebhookDeliveryDto } from '../db/mappers.js';
import { findMerchantById } from '../db/operations/merchants.js';
import {
  claimDeliveryAttempts,
  failDeliveryWithoutAttempt,
  findDelivery,
  listDeliveries as listDeliveryRows,
  recordDeliveryAttempts,
  restartDelivery,
  type AttemptOutcome,
  type DeliveryToAttempt,
} from '../db/operations/webhook-logs.js';
import type { MerchantRow } from '../db/tables.js';
import { withTransaction, type ServiceDeps } from './deps.js';
import { emitEvents } from './events.js';
import { toListDto } from './list.js';
import { nodeHmacSha256 } from '../webhooks/node-hmac.js';
import { statesAllowing } from './machine-guards.js';

const RETRYABLE_BY_HAND = statesAllowing(DELIVERY_MACHINE, 'retry_manually');

const toDto = (d: Awaited<ReturnType<typeof findDelivery>> & {}) => toWebhookDeliveryDto(d.log, d.event, d.attempts);

export async function listDeliveries(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, query: ListQueryInput) {
  const page = await listDeliveryRows({ db: deps.db, merchantId: merchant.id, ...query });
  return toListDto(page, query, toDto);
}

export async function getDelivery(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, id: string) {
  const found = await findDelivery({ db: deps.db, merchantId: merchant.id, id });
  if (!found) throw new PaygateError('NOT_FOUND_ERROR', `No webhook delivery ${id} for this merchant.`, { field: 'id' });
  return toDto(found);
}

/** Manual retry (seed parity): a failed delivery, or a delivered one to replay, starts over now. */
export async function retryDelivery(deps: ServiceDeps, merchant: MerchantRow, id: string) {
  const now = deps.clock.now();
  const row = await withTransaction(deps, async (trx, after) => {
    const restarted = await restartDelivery({ db: trx, merchantId: merchant.id, id, from: RETRYABLE_BY_HAND, now, realNow: deps.clock.realNow() });
    if (restarted) after.enqueue('deliveries', [restarted.id]);
    return restarted;
  });
  if (!row) {
    const current = await getDelivery(deps, merchant, id); // 404 if it isn't theirs
    throw new PaygateError('BAD_REQUEST_ERROR', `Webhook delivery ${id} is ${current.status}: it is already scheduled.`, { field: 'id' });
  }
  return { id: row.id, status: row.status, message: 'Webhook retry scheduled' };
}

/** Sends a `webhook.test` event to the configured endpoint through the normal delivery path. */
export async function sendTestWebhook(deps: ServiceDeps, merchant: MerchantRow) {
  const fresh = await findMerchantById({ db: deps.db, id: merchant.id });
  if (!fresh?.webhook_url) {
    throw new PaygateError('BAD_REQUEST_ERROR', 'No webhook URL is configured. Set one with PUT /api/v1/webhooks/config first.', {
      field: 'webhook_url',
    });
  }
  const now = deps.clock.now();
  const eventId = newId('event');
  await withTransaction(deps, (trx, after) =>
    emitEvents(
      trx,
      after,
      [{ id: eventId, merchant_id: merchant.id, type: 'webhook.test', payment_id: null, sequence: 1, data: { message: 'This is a test webhook from Paygate.' }, created_at: now }],
      deps.clock.realNow(),
    ),
  );
  return { event_id: eventId, delivery_id: `whd_${eventId.slice(4)}`, webhook_url: fresh.webhook_url, status: 'pending' as const };
}

function secretsFor(d: DeliveryToAttempt, now: Date): string[] {
  const previous =
    d.previous_webhook_secret && d.previous_webhook_secret_expires_at && d.previous_webhook_secret_expires_at > now
      ? [d.previous_webhook_secret]
      : [];
  return [d.webhook_secret, ...previous];
}

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

/** How long a worker holds a delivery it is attempting: the HTTP timeout and some slack. */
export const deliveryLease = (deps: Pick<ServiceDeps, 'config'>, realNow: Date) => new Date(realNow.getTime() + deps.config.webhookTimeoutMs + 5_000);

/**
 * Worker use case: makes the due attempt of each of these deliveries. Claims them (so one worker
 * sends each), then attempts them. A duplicate job finds nothing to claim.
 */
export async function deliverWebhooks(deps: ServiceDeps, ids: readonly string[]): Promise<DeliveryOutcome[]> {
  const realNow = deps.clock.realNow();
  const claimed = await claimDeliveryAttempts({ db: deps.db, ids, now: deps.clock.now(), realNow, leaseUntil: deliveryLease(deps, realNow) });
  return attemptDeliveries(deps, claimed);
}

/**
 * Attempts deliveries this worker holds the lease on, all at once: signs each with every active
 * secret, posts it, then logs every attempt and schedules what comes next from the retry policy
 * (or marks it delivered or failed) in one statement.
 */
export async function attemptDeliveries(deps: ServiceDeps, deliveries: readonly DeliveryToAttempt[]): Promise<DeliveryOutcome[]> {
  if (deliveries.length === 0) return [];
  const now = deps.clock.now();
  const attempted = await Promise.all(deliveries.map((d) => attemptOne(deps, d, now)));
  const outcomes = attempted.filter((a) => a.record !== undefined);
  await recordDeliveryAttempts({ db: deps.db, outcomes: outcomes.map((a) => a.record!), now });
  for (const a of outcomes) {
    deps.metrics.deliveryAttempts.inc({ outcome: a.outcome });
    deps.metrics.deliveryLatency.observe(a.record!.attempt.latency_ms / 1000);
  }
  return attempted.map((a) => a.outcome);
}

/** One HTTP attempt and its verdict; `record` is what to log (none when nothing was sent). */
async function attemptOne(deps: ServiceDeps, d: DeliveryToAttempt, now: Date): Promise<{ outcome: DeliveryOutcome; record?: AttemptOutcome }> {
  const { clock, config } = deps;
  if (!d.webhook_url || !d.webhook_enabled) {
    await failDeliveryWithoutAttempt({ db: deps.db, id: d.id, now });
    return { outcome: 'failed' };
  }
  const body = JSON.stringify(toEventEnvelope({ id: d.event_id, type: d.event_type, created_at: d.event_created_at, sequence: d.event_sequence, data: d.event_data }));
  // The signed timestamp is real time: receivers check it against their own clock.
  const headers = await buildWebhookHeaders({
    secrets: secretsFor(d, now),
    id: d.event_id,
    timestamp: Math.floor(clock.realNow().getTime() / 1000),
    body,
    hmac: nodeHmacSha256,
  });
  const result = await deps.httpSender.send({ url: d.webhook_url, headers, body, timeoutMs: config.webhookTimeoutMs });
  const succeeded = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;

  let outcome: DeliveryOutcome;
  let nextAttemptAt: Date | null = null;
  if (succeeded) {
    outcome = 'delivered';
  } else if (result.statusCode === 410) {
    // 410 Gone: the merchant says the endpoint is no more. Stop sending until they save a URL again.
    await deps.db<MerchantRow>('merchants').where({ id: d.merchant_id }).update({ webhook_enabled: false, updated_at: now });
    outcome = 'failed';
  } else {
    const retryAfterMs = parseRetryAfter(result.retryAfter, now);
    const next = nextAttempt(d.attempts + 1, now, {
      schedule: config.webhookRetryIntervalsTest ? RETRY_SCHEDULES.test : RETRY_SCHEDULES.production,
      random: deps.random,
      jitter: config.webhookRetryJitter,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
    outcome = next.kind === 'retry' ? 'retry' : 'failed';
    if (next.kind === 'retry') nextAttemptAt = next.at;
  }
  const status = transition(DELIVERY_MACHINE, 'pending', outcome === 'delivered' ? 'deliver' : outcome === 'retry' ? 'schedule_retry' : 'give_up');
  return {
    outcome,
    record: {
      id: d.id,
      claimedAttempts: d.attempts,
      attempt: {
        url: d.webhook_url,
        attempted_at: now,
        status_code: result.statusCode ?? null,
        latency_ms: result.latencyMs,
        response_body: result.responseBody ?? null,
        error: succeeded ? null : (result.error ?? `HTTP ${result.statusCode}`),
        succeeded,
      },
      next: { status, nextAttemptAt },
    },
  };
}

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
  claimDeliveryAttempt,
  failDeliveryWithoutAttempt,
  findDelivery,
  listDeliveries as listDeliveryRows,
  recordDeliveryAttempt,
  restartDelivery,
  type ClaimedDelivery,
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

function secretsFor(d: ClaimedDelivery, now: Date): string[] {
  const previous =
    d.previous_webhook_secret && d.previous_webhook_secret_expires_at && d.previous_webhook_secret_expires_at > now
      ? [d.previous_webhook_secret]
      : [];
  return [d.webhook_secret, ...previous];
}

/**
 * Worker use case: makes the due attempt of one delivery. Claims it (so one worker sends it),
 * signs with every active secret, posts, logs the attempt and schedules the next one from the
 * retry policy, or marks the delivery delivered or failed. A duplicate job finds nothing to claim.
 */
export async function deliverWebhook(deps: ServiceDeps, id: string): Promise<'delivered' | 'retry' | 'failed' | 'skipped'> {
  const { clock, config } = deps;
  const now = clock.now();
  const realNow = clock.realNow();
  const claimed = await claimDeliveryAttempt({
    db: deps.db,
    id,
    now,
    realNow,
    leaseUntil: new Date(realNow.getTime() + config.webhookTimeoutMs + 5_000),
  });
  if (!claimed) return 'skipped';
  if (!claimed.webhook_url || !claimed.webhook_enabled) {
    await failDeliveryWithoutAttempt({ db: deps.db, id, now });
    return 'failed';
  }

  const body = JSON.stringify(
    toEventEnvelope({ id: claimed.event_id, type: claimed.event_type, created_at: claimed.event_created_at, sequence: claimed.event_sequence, data: claimed.event_data }),
  );
  // The signed timestamp is real time: receivers check it against their own clock.
  const headers = await buildWebhookHeaders({
    secrets: secretsFor(claimed, now),
    id: claimed.event_id,
    timestamp: Math.floor(realNow.getTime() / 1000),
    body,
    hmac: nodeHmacSha256,
  });
  const result = await deps.httpSender.send({ url: claimed.webhook_url, headers, body, timeoutMs: config.webhookTimeoutMs });
  const succeeded = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
  const attemptsMade = claimed.attempts + 1;

  let outcome: 'delivered' | 'retry' | 'failed';
  let nextAttemptAt: Date | null = null;
  if (succeeded) {
    outcome = 'delivered';
  } else if (result.statusCode === 410) {
    // 410 Gone: the merchant says the endpoint is no more. Stop sending until they save a URL again.
    await deps.db<MerchantRow>('merchants').where({ id: claimed.merchant_id }).update({ webhook_enabled: false, updated_at: now });
    outcome = 'failed';
  } else {
    const retryAfterMs = parseRetryAfter(result.retryAfter, now);
    const next = nextAttempt(attemptsMade, now, {
      schedule: config.webhookRetryIntervalsTest ? RETRY_SCHEDULES.test : RETRY_SCHEDULES.production,
      random: deps.random,
      jitter: config.webhookRetryJitter,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
    if (next.kind === 'retry') {
      outcome = 'retry';
      nextAttemptAt = next.at;
    } else {
      outcome = 'failed';
    }
  }
  const status = transition(
    DELIVERY_MACHINE,
    'pending',
    outcome === 'delivered' ? 'deliver' : outcome === 'retry' ? 'schedule_retry' : 'give_up',
  );
  await recordDeliveryAttempt({
    db: deps.db,
    id,
    claimedAttempts: claimed.attempts,
    attempt: {
      url: claimed.webhook_url,
      attempted_at: now,
      status_code: result.statusCode ?? null,
      latency_ms: result.latencyMs,
      response_body: result.responseBody ?? null,
      error: succeeded ? null : (result.error ?? `HTTP ${result.statusCode}`),
      succeeded,
    },
    next: { status, nextAttemptAt },
    now,
  });
  deps.metrics.deliveryAttempts.inc({ outcome });
  deps.metrics.deliveryLatency.observe(result.latencyMs / 1000);
  return outcome;
}

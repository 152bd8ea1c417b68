import { DELIVERY_MACHINE, PaygateError, newId, type ListQueryInput } from '@paygate/core';
import { toWebhookDeliveryDto } from '../model/wire.js';
import { insertEventsWithDeliveries } from '../adapters/db/operations/events.js';
import { findMerchantById } from '../adapters/db/operations/merchants.js';
import { findDelivery, listDeliveries as listDeliveryRows, restartDelivery } from '../adapters/db/operations/deliveries.js';
import type { EventRow, MerchantRow } from '../model/rows.js';
import type { ServiceDeps } from './service-deps.js';
import { withTransaction } from './unit-of-work.js';
import { announceEvents } from './events.js';
import { toListDto } from './list.js';
import { statesAllowing } from './machine-guards.js';

const RETRYABLE_BY_HAND = statesAllowing(DELIVERY_MACHINE, 'retry_manually');

const toDto = (d: Awaited<ReturnType<typeof findDelivery>> & {}) => toWebhookDeliveryDto(d.log, d.event, d.attempts);

export async function listDeliveries(
  deps: Pick<ServiceDeps, 'db'>,
  merchant: MerchantRow,
  query: ListQueryInput & { event?: string | undefined; payment_id?: string | undefined },
) {
  const { payment_id: paymentId, ...rest } = query;
  const page = await listDeliveryRows({ db: deps.db, merchantId: merchant.id, ...rest, paymentId });
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

const TEST_EVENT = 'webhook.test';

/**
 * Why an endpoint gets no `webhook.test` delivery, as the error to answer with; undefined when
 * it gets one. Mirrors the subscription test that creates deliveries (`eventsWithDeliveriesCte`).
 */
function whyNoTestDelivery(m: MerchantRow | undefined): PaygateError | undefined {
  const save = 'with PUT /api/v1/webhooks/config';
  if (!m?.webhook_url) {
    return new PaygateError('BAD_REQUEST_ERROR', `No webhook URL is configured. Set one ${save} first.`, { field: 'webhook_url' });
  }
  if (!m.webhook_enabled) {
    return new PaygateError(
      'INVALID_STATE_ERROR',
      `The webhook endpoint ${m.webhook_url} is disabled (enabled: false, or it answered 410 Gone), so nothing would be sent. Enable it ${save}.`,
      { field: 'enabled' },
    );
  }
  if (m.webhook_events && !m.webhook_events.includes(TEST_EVENT)) {
    return new PaygateError(
      'INVALID_STATE_ERROR',
      `The webhook endpoint only receives ${m.webhook_events.join(', ')}, so a ${TEST_EVENT} event would not be sent to it. Set events to null (all events) ${save} to receive test webhooks.`,
      { field: 'events' },
    );
  }
  return undefined;
}

/**
 * Sends a `webhook.test` event to the configured endpoint through the normal delivery path. If
 * the endpoint would get no delivery (no URL, disabled, filtered to other events) it says why
 * and records nothing; the delivery id it answers with always exists.
 */
export async function sendTestWebhook(deps: ServiceDeps, merchant: MerchantRow) {
  const now = deps.clock.now();
  const event: EventRow = {
    id: newId('event'),
    merchant_id: merchant.id,
    type: TEST_EVENT,
    payment_id: null,
    sequence: 1,
    data: { message: 'This is a test webhook from Paygate.' },
    created_at: now,
  };
  return withTransaction(deps, async (trx, after) => {
    const fresh = await findMerchantById({ db: trx, id: merchant.id });
    const refused = whyNoTestDelivery(fresh);
    if (refused) throw refused;
    const [deliveryId] = await insertEventsWithDeliveries({ db: trx, events: [event], realNow: deps.clock.realNow() });
    // The settings changed between the read and the insert: explain with the new ones (and roll back).
    if (!deliveryId)
      throw (
        whyNoTestDelivery(await findMerchantById({ db: trx, id: merchant.id })) ??
        new PaygateError('INVALID_STATE_ERROR', 'The webhook settings changed meanwhile; try again.')
      );
    announceEvents(after, [event], [deliveryId]);
    return { event_id: event.id, delivery_id: deliveryId, webhook_url: fresh!.webhook_url!, status: 'pending' as const };
  });
}

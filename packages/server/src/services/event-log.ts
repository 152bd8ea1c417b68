import { toEventEnvelope } from '../model/wire.js';
import { listEvents as listEventRows } from '../adapters/db/operations/events.js';
import type { MerchantRow } from '../model/rows.js';
import type { ServiceDeps } from './service-deps.js';
import { toListDto } from './list.js';

export type EventListQuery = { limit: number; offset: number; payment_id?: string | undefined; type?: string | undefined };

/**
 * The merchant's recorded events, newest first, as the envelopes webhooks carry: the
 * dashboard's "latest events", and with `payment_id` one payment's timeline (each event's
 * `sequence` orders it). An unknown or another merchant's payment id is simply an empty list.
 */
export async function listEvents(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, query: EventListQuery) {
  const page = await listEventRows({
    db: deps.db,
    merchantId: merchant.id,
    limit: query.limit,
    offset: query.offset,
    paymentId: query.payment_id,
    type: query.type,
  });
  return toListDto(page, query, toEventEnvelope);
}

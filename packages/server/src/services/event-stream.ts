import { currentStreamCursor, listEventsAfter, streamCursorOfEvent, type StreamCursor, type StreamEvent } from '../adapters/db/operations/list-events-after.js';
import type { ServiceDeps } from './service-deps.js';

export type { StreamCursor, StreamEvent };

/**
 * Where a merchant's event stream (`GET /api/v1/events/stream`) begins: just after the client's
 * `Last-Event-ID` when that is one of the merchant's events, or else from now. `unknownLastEventId`
 * says an id was given but is not one of them (unknown, deleted by a reset, another merchant's),
 * so the client can be told that nothing was replayed.
 *
 * @remarks Call it before subscribing to the event bus: "now" is taken first, so that whatever
 * commits while the subscription is being confirmed comes after the cursor.
 */
export async function startOfEventStream(
  deps: Pick<ServiceDeps, 'db'>,
  merchantId: string,
  lastEventId: string | undefined,
): Promise<{ cursor: StreamCursor; unknownLastEventId: boolean }> {
  // Event ids are far shorter: a longer header is no id of ours and is not looked up.
  const resumeFrom =
    lastEventId !== undefined && lastEventId.length <= 64 ? await streamCursorOfEvent({ db: deps.db, merchantId, eventId: lastEventId }) : undefined;
  return {
    cursor: resumeFrom ?? (await currentStreamCursor({ db: deps.db })),
    unknownLastEventId: lastEventId !== undefined && resumeFrom === undefined,
  };
}

/**
 * Up to `limit` of the merchant's events after `after`, in stream order, and whether later ones
 * are already visible but held back behind a transaction still running (read again shortly).
 */
export function readEventStream(
  deps: Pick<ServiceDeps, 'db'>,
  merchantId: string,
  after: StreamCursor,
  limit: number,
): Promise<{ events: StreamEvent[]; heldBack: boolean }> {
  return listEventsAfter({ db: deps.db, merchantId, after, limit });
}

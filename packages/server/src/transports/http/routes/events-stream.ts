import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { PaygateError } from '@paygate/core';
import { EVENT_TYPES } from '../../../services/events.js';
import { startOfEventStream } from '../../../services/event-stream.js';
import { withRetryAfter } from '../../../model/retry-after.js';
import type { AppDeps } from '../../../app-deps.js';
import { EventStreamReader, type StreamPage } from '../sse/event-stream-reader.js';
import { endOpenStreamsOnClose, openSseConnection, STREAM_RETRY_MS } from '../sse/sse-connection.js';

/** Event types a stream may ask for with `?types=`. */
export const STREAM_EVENT_TYPES: readonly string[] = [...EVENT_TYPES, 'webhook.test'];
/** How long a new stream waits for the event bus to confirm its subscription before reading anyway. */
const SUBSCRIBE_WAIT_MS = 5_000;

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** `?types=a,b` (or repeated `types=`) as a set; undefined means every type. */
function parseStreamQuery(query: unknown): ReadonlySet<string> | undefined {
  const q = (query ?? {}) as Record<string, unknown>;
  const extra = Object.keys(q).filter((k) => k !== 'types');
  if (extra.length > 0) {
    throw new PaygateError('BAD_REQUEST_ERROR', `field '${extra[0]}' is not allowed; allowed fields: types`, { field: extra[0]! });
  }
  if (q['types'] === undefined) return undefined;
  const raw = Array.isArray(q['types']) ? q['types'] : [q['types']];
  const names = raw
    .flatMap((v) => String(v).split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !STREAM_EVENT_TYPES.includes(n));
  if (names.length === 0 || unknown.length > 0) {
    const got = names.length === 0 ? 'nothing' : `'${unknown.join("', '")}'`;
    throw new PaygateError('BAD_REQUEST_ERROR', `types must be a comma-separated list of event types from: ${STREAM_EVENT_TYPES.join(', ')}; got ${got}`, {
      field: 'types',
    });
  }
  return new Set(names);
}

/**
 * `GET /api/v1/events/stream`: the merchant's events live, as Server-Sent Events (`pg-cli
 * listen`, the dashboard). The events table is the record and the stream reads it in commit
 * order (through services/event-stream.ts; see `StreamCursor` in list-events-after.ts); the
 * event bus (Redis pub/sub across processes) only wakes the stream when something was committed,
 * so an event is sent once, in order, whichever process recorded it.
 *
 * The stream subscribes first and waits for the bus to confirm, then reads the database: an
 * event committed while the subscription was being confirmed is in that read, and everything
 * later wakes the stream. A wake-up that is lost anyway (Redis down) is made up by a read at
 * every ping.
 *
 * Each frame's `id` is the event id; sent back as `Last-Event-ID`, the stream resumes after it
 * (at most `STREAM_REPLAY_LIMIT` at once; when more are left the stream ends after them so
 * the client reconnects and continues).
 */
export async function eventStreamRoutes(app: FastifyInstance, deps: AppDeps) {
  const streams = endOpenStreamsOnClose(app);

  app.get(
    '/api/v1/events/stream',
    {
      config: {
        auth: 'secret',
        openapi: {
          summary: 'Live events as Server-Sent Events; ?types=a,b filters; Last-Event-ID replays what was missed',
          responses: { 200: { description: 'text/event-stream of event envelopes', contentType: 'text/event-stream' } },
          errors: [400],
        },
      },
    },
    async (request, reply) => {
      const merchant = request.merchant!;
      const types = parseStreamQuery(request.query);
      const lastEventId = header(request.headers['last-event-id'])?.trim() || undefined;

      // Where to begin: after the client's last event, or from now. "Now" is taken before
      // subscribing, so that whatever commits while the subscription is confirmed comes after it.
      const start = await startOfEventStream(deps, merchant.id, lastEventId);
      const releaseSlot = takeStreamSlot(app, merchant.id);

      // Subscribed before the catch-up read, so that a commit the read misses still wakes the stream
      // (the reader remembers a wake-up that comes before it runs).
      const reader = new EventStreamReader(deps, { merchantId: merchant.id, cursor: start.cursor, types, log: request.log });
      const unsubscribe = deps.eventBus.subscribe(merchant.id, () => reader.wake());
      let catchUp: StreamPage;
      try {
        await subscribed(deps.eventBus.ready(merchant.id), request.log);
        catchUp = await reader.readCatchUp();
      } catch (error) {
        // Not streaming yet: Fastify answers the error, and the slot and subscription are given back here.
        unsubscribe();
        releaseSlot();
        throw error;
      }

      reply.hijack();
      const connection = openSseConnection(reply.raw, {
        streams,
        log: request.log,
        merchantId: merchant.id,
        onClose: () => {
          unsubscribe();
          releaseSlot();
          reader.stop();
        },
      });
      if (!connection) return; // The client left while the catch-up was read; onClose has run.
      if (start.unknownLastEventId) connection.send(`: Last-Event-ID is not an event of this merchant; nothing replayed\n\n`);
      reader.run(connection, catchUp);
    },
  );
}

/** One of the merchant's stream slots, as the function that gives it back; past the cap, a 429. */
function takeStreamSlot(app: FastifyInstance, merchantId: string): () => void {
  const releaseSlot = app.streamSlots.acquire(merchantId);
  if (!releaseSlot) {
    const max = app.streamSlots.max;
    throw withRetryAfter(
      new PaygateError(
        'RATE_LIMIT_ERROR',
        `Too many event streams: this merchant may hold at most ${max} event streams at once (PAYGATE_MAX_STREAMS_PER_MERCHANT), and ${max} are open. Close one (another pg-cli listen, a dashboard tab) and reconnect.`,
      ),
      STREAM_RETRY_MS / 1000,
    );
  }
  return releaseSlot;
}

/** Waits for the bus to confirm a subscription; a bus that cannot (Redis down) leaves the pings to read. */
async function subscribed(ready: Promise<void>, log: FastifyBaseLogger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS, 'late')));
  try {
    const outcome = await Promise.race([ready.then(() => 'ready' as const), late]);
    if (outcome === 'late') log.warn('event bus has not confirmed the stream subscription; reading on pings until it does');
  } catch (error) {
    log.warn({ err: error }, 'event bus subscription failed; the stream reads on pings');
  } finally {
    clearTimeout(timer);
  }
}

import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { PaygateError } from '@paygate/core';
import { toEventEnvelope, type EventEnvelope } from '../../../model/wire.js';
import { EVENT_TYPES } from '../../../services/events.js';
import { readEventStream, startOfEventStream, type StreamCursor, type StreamEvent } from '../../../services/event-stream.js';
import { withRetryAfter } from '../../../model/retry-after.js';
import type { AppDeps } from '../../../app-deps.js';

/** Event types a stream may ask for with `?types=`. */
export const STREAM_EVENT_TYPES: readonly string[] = [...EVENT_TYPES, 'webhook.test'];
/** Most events replayed after `Last-Event-ID` on one connection; the client resumes for more. */
export const STREAM_REPLAY_LIMIT = 1000;
/** A comment this often keeps proxies and load balancers from closing an idle stream. */
export const STREAM_PING_MS = 15_000;
/** Reconnection delay the client is told to use (the SSE `retry:` field). */
export const STREAM_RETRY_MS = 2_000;
/** A client this far behind (bytes queued in the socket) is dropped; it resumes with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

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
  const names = raw.flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !STREAM_EVENT_TYPES.includes(n));
  if (names.length === 0 || unknown.length > 0) {
    const got = names.length === 0 ? 'nothing' : `'${unknown.join("', '")}'`;
    throw new PaygateError('BAD_REQUEST_ERROR', `types must be a comma-separated list of event types from: ${STREAM_EVENT_TYPES.join(', ')}; got ${got}`, {
      field: 'types',
    });
  }
  return new Set(names);
}

const frame = (e: EventEnvelope) => `id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e)}\n\n`;

/** While a committed event waits behind a transaction still running, the stream looks again this often. */
export const STREAM_HELD_BACK_POLL_MS = 200;
/** How long a new stream waits for the event bus to confirm its subscription before reading anyway. */
const SUBSCRIBE_WAIT_MS = 5_000;

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
 * (at most {@link STREAM_REPLAY_LIMIT} at once; when more are left the stream ends after them so
 * the client reconnects and continues).
 */
export async function eventStreamRoutes(app: FastifyInstance, deps: AppDeps) {
  // Ends every open stream, so that app.close() (graceful stop) is not held open by them.
  const open = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of [...open]) end();
    done();
  });

  app.get('/api/v1/events/stream', {
    config: {
      auth: 'secret',
      openapi: {
        summary: 'Live events as Server-Sent Events; ?types=a,b filters; Last-Event-ID replays what was missed',
        responses: { 200: { description: 'text/event-stream of event envelopes', contentType: 'text/event-stream' } },
        errors: [400],
      },
    },
  }, async (request, reply) => {
    const merchant = request.merchant!;
    const types = parseStreamQuery(request.query);
    const lastEventId = header(request.headers['last-event-id'])?.trim() || undefined;

    // Where to begin: after the client's last event, or from now. "Now" is taken before
    // subscribing, so that whatever commits while the subscription is confirmed comes after it.
    const start = await startOfEventStream(deps, merchant.id, lastEventId);
    const cursorUnknown = start.unknownLastEventId;
    let cursor: StreamCursor = start.cursor;

    const releaseSlot = app.streamSlots.acquire(merchant.id);
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

    // Until the stream is running, a wake-up is remembered: it may be for a commit the catch-up missed.
    let wokenEarly = false;
    let wake: () => void = () => void (wokenEarly = true);
    const unsubscribe = deps.eventBus.subscribe(merchant.id, (e) => {
      if (e.merchantId === merchant.id) wake();
    });
    let catchUp: Awaited<ReturnType<typeof readEventStream>>;
    try {
      await subscribed(deps.eventBus.ready(merchant.id), request.log);
      catchUp = await readEventStream(deps, merchant.id, cursor, STREAM_REPLAY_LIMIT + 1);
    } catch (error) {
      unsubscribe();
      releaseSlot();
      throw error;
    }

    reply.hijack();
    const res = reply.raw;
    let closed = false;
    let ping: NodeJS.Timeout | undefined;
    let recheck: NodeJS.Timeout | undefined;
    const cleanup = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      releaseSlot();
      clearInterval(ping);
      clearTimeout(recheck);
      open.delete(end);
    };
    function end(comment?: string) {
      if (closed) return;
      cleanup();
      if (!res.writableEnded) res.end(comment ? `: ${comment}\n\n` : undefined);
      // The response is over; drop the connection too, so a closing server is not kept waiting
      // on a keep-alive socket (clients reconnect on a new one).
      res.once('finish', () => res.socket?.destroy());
    }
    const send = (chunk: string) => {
      if (closed) return;
      try {
        res.write(chunk);
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          // Flushing megabytes to a stalled client helps no one: cut it; it resumes from the database.
          request.log.warn({ merchantId: merchant.id }, 'event stream client too far behind; disconnected');
          cleanup();
          res.destroy();
        }
      } catch (error) {
        request.log.warn({ err: error }, 'event stream write failed');
        end();
      }
    };
    // Every event read moves the cursor, the ones the client filtered out too.
    const sendEvents = (events: readonly StreamEvent[]) => {
      for (const e of events) {
        if (closed) return;
        cursor = e.cursor;
        if (!types || types.has(e.type)) send(frame(toEventEnvelope(e)));
      }
    };

    res.on('close', cleanup);
    res.on('error', cleanup);
    if (res.destroyed) {
      // The client left while the catch-up was read.
      cleanup();
      return;
    }
    open.add(end);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    send(`: connected\nretry: ${STREAM_RETRY_MS}\n\n`);
    if (cursorUnknown) send(`: Last-Event-ID is not an event of this merchant; nothing replayed\n\n`);

    if (catchUp.events.length > STREAM_REPLAY_LIMIT) {
      sendEvents(catchUp.events.slice(0, STREAM_REPLAY_LIMIT));
      end(`replay limit (${STREAM_REPLAY_LIMIT}) reached; reconnect with Last-Event-ID to continue`);
      return;
    }
    sendEvents(catchUp.events);

    // Reads what was committed after the cursor; wake-ups that come during a read ask for one more.
    let reading = false;
    let again = false;
    const holdBack = (heldBack: boolean) => {
      if (!heldBack || recheck || closed) return;
      recheck = setTimeout(() => {
        recheck = undefined;
        wake();
      }, STREAM_HELD_BACK_POLL_MS);
      recheck.unref();
    };
    holdBack(catchUp.heldBack);
    wake = () => {
      if (closed) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      void (async () => {
        try {
          do {
            again = false;
            const page = await readEventStream(deps, merchant.id, cursor, STREAM_REPLAY_LIMIT);
            sendEvents(page.events);
            if (page.events.length === STREAM_REPLAY_LIMIT) again = true;
            holdBack(page.heldBack);
          } while (again && !closed);
        } catch (error) {
          request.log.warn({ err: error, merchantId: merchant.id }, 'event stream read failed; the client resumes with Last-Event-ID');
          end();
        } finally {
          reading = false;
        }
      })();
    };

    if (wokenEarly || catchUp.events.length === STREAM_REPLAY_LIMIT) wake();

    ping = setInterval(() => {
      send(': ping\n\n');
      wake();
    }, STREAM_PING_MS);
    ping.unref();
  });
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

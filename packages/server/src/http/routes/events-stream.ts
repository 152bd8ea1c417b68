import type { FastifyInstance } from 'fastify';
import { PaygateError } from '@paygate/core';
import { toEventEnvelope, type EventEnvelope } from '../../db/mappers.js';
import { listEventsAfter } from '../../db/operations/list-events-after.js';
import type { LiveEvent } from '../../events/event-bus.js';
import { EVENT_TYPES } from '../../services/events.js';
import type { AppDeps } from '../app-deps.js';

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

/**
 * `GET /api/v1/events/stream`: the merchant's events live, as Server-Sent Events (`pg-cli
 * listen`, the dashboard). Events are published after commit on the event bus (Redis pub/sub
 * across processes), so a stream on any API process sees what any worker settles.
 *
 * With `Last-Event-ID` the events recorded after that one are replayed from the database first
 * (at most {@link STREAM_REPLAY_LIMIT}; when more are left the stream ends after them so the
 * client reconnects and continues), then live ones follow, without duplicates. Live delivery is
 * best effort; the events table is the record.
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

    // Subscribe before reading the catch-up, so that nothing committed in between is missed;
    // what arrives meanwhile waits in `pending` and is deduplicated against the replay.
    let pending: LiveEvent[] | undefined = [];
    let write: (e: EventEnvelope) => void = () => undefined;
    const replayed = new Set<string>();
    const unsubscribe = deps.eventBus.subscribe(merchant.id, (e) => {
      if (e.merchantId !== merchant.id) return;
      if (pending) pending.push(e);
      else write(e.envelope);
    });

    let replay: EventEnvelope[] = [];
    let more = false;
    let cursorUnknown = false;
    if (lastEventId !== undefined) {
      try {
        const rows =
          lastEventId.length <= 64
            ? await listEventsAfter({ db: deps.db, merchantId: merchant.id, afterEventId: lastEventId, limit: STREAM_REPLAY_LIMIT + 1 })
            : undefined;
        if (rows === undefined) cursorUnknown = true;
        else {
          more = rows.length > STREAM_REPLAY_LIMIT;
          replay = rows.slice(0, STREAM_REPLAY_LIMIT).map(toEventEnvelope);
        }
      } catch (error) {
        unsubscribe();
        throw error;
      }
    }

    reply.hijack();
    const res = reply.raw;
    let closed = false;
    let ping: NodeJS.Timeout | undefined;
    const cleanup = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(ping);
      open.delete(end);
      pending = undefined;
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
    const sendEvent = (e: EventEnvelope) => {
      if (types && !types.has(e.event)) return;
      send(frame(e));
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

    for (const e of replay) {
      replayed.add(e.id);
      sendEvent(e);
    }
    if (more) {
      end(`replay limit (${STREAM_REPLAY_LIMIT}) reached; reconnect with Last-Event-ID to continue`);
      return;
    }

    if (closed) return; // cut while replaying
    const waiting = pending ?? [];
    pending = undefined;
    write = (e) => {
      if (!replayed.has(e.id)) sendEvent(e);
    };
    for (const e of waiting) write(e.envelope);

    ping = setInterval(() => send(': ping\n\n'), STREAM_PING_MS);
    ping.unref();
  });
}

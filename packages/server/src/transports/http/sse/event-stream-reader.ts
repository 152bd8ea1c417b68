import type { FastifyBaseLogger } from 'fastify';
import { toEventEnvelope, type EventEnvelope } from '../../../model/wire.js';
import { readEventStream, type StreamCursor, type StreamEvent } from '../../../services/event-stream.js';
import type { ServiceDeps } from '../../../services/service-deps.js';
import type { SseConnection } from './sse-connection.js';

/** Most events replayed after `Last-Event-ID` on one connection; the client resumes for more. */
export const STREAM_REPLAY_LIMIT = 1000;
/** A comment this often keeps proxies and load balancers from closing an idle stream. */
export const STREAM_PING_MS = 15_000;
/** While a committed event waits behind a transaction still running, the stream looks again this often. */
export const STREAM_HELD_BACK_POLL_MS = 200;

/** What one read of the events table after the cursor returned. */
export type StreamPage = Awaited<ReturnType<typeof readEventStream>>;

export interface EventStreamReaderOptions {
  merchantId: string;
  /** Where the stream begins (services/event-stream.ts `startOfEventStream`). */
  cursor: StreamCursor;
  /** The event types the client asked for; undefined means every type. */
  types: ReadonlySet<string> | undefined;
  log: FastifyBaseLogger;
}

const frame = (e: EventEnvelope) => `id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e)}\n\n`;

/**
 * Reads one merchant's events table after a cursor and sends what it finds on an SSE connection,
 * in commit order. It reads when woken (the event bus saw a commit), at every ping (which makes
 * up for a lost wake-up), and again shortly while a committed event is held back behind a
 * transaction still running.
 *
 * Made before the stream subscribes to the bus, so that {@link wake} can be the subscriber;
 * {@link readCatchUp} is read once the subscription is confirmed, and {@link run} then sends it
 * and follows the live events.
 */
export class EventStreamReader {
  private cursor: StreamCursor;
  private connection: SseConnection | undefined;
  // Until the stream is running, a wake-up is remembered: it may be for a commit the catch-up missed.
  private wokenEarly = false;
  private reading = false;
  private again = false;
  private recheck: NodeJS.Timeout | undefined;
  private ping: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: Pick<ServiceDeps, 'db'>,
    private readonly options: EventStreamReaderOptions,
  ) {
    this.cursor = options.cursor;
  }

  /** The first read: one more than {@link STREAM_REPLAY_LIMIT}, to know whether more are left after it. */
  readCatchUp(): Promise<StreamPage> {
    return readEventStream(this.deps, this.options.merchantId, this.cursor, STREAM_REPLAY_LIMIT + 1);
  }

  /**
   * Sends the catch-up on `connection`; past the replay limit the stream ends after it (the client
   * reconnects with Last-Event-ID and continues), else it follows the live events until closed.
   */
  run(connection: SseConnection, catchUp: StreamPage): void {
    this.connection = connection;
    if (catchUp.events.length > STREAM_REPLAY_LIMIT) {
      this.sendEvents(connection, catchUp.events.slice(0, STREAM_REPLAY_LIMIT));
      connection.end(`replay limit (${STREAM_REPLAY_LIMIT}) reached; reconnect with Last-Event-ID to continue`);
      return;
    }
    this.sendEvents(connection, catchUp.events);
    this.holdBack(connection, catchUp.heldBack);
    if (this.wokenEarly || catchUp.events.length === STREAM_REPLAY_LIMIT) this.wake();
    // The client may have been cut off during the catch-up (too far behind, a failed write): then
    // stop() has run already, and a ping started now would never be cleared.
    if (connection.closed) return;

    this.ping = setInterval(() => {
      connection.send(': ping\n\n');
      this.wake();
    }, STREAM_PING_MS);
    this.ping.unref();
  }

  /** Something was committed: read what came after the cursor (remembered until the stream runs). */
  wake(): void {
    const connection = this.connection;
    if (!connection) {
      this.wokenEarly = true;
      return;
    }
    if (connection.closed) return;
    // Reads what was committed after the cursor; wake-ups that come during a read ask for one more.
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    void this.readWhileWoken(connection);
  }

  /** Stops the timers; the connection calls it when it closes. */
  stop(): void {
    clearInterval(this.ping);
    clearTimeout(this.recheck);
  }

  private async readWhileWoken(connection: SseConnection): Promise<void> {
    const { merchantId, log } = this.options;
    try {
      do {
        this.again = false;
        const page = await readEventStream(this.deps, merchantId, this.cursor, STREAM_REPLAY_LIMIT);
        this.sendEvents(connection, page.events);
        if (page.events.length === STREAM_REPLAY_LIMIT) this.again = true;
        this.holdBack(connection, page.heldBack);
      } while (this.again && !connection.closed);
    } catch (error) {
      log.warn({ err: error, merchantId }, 'event stream read failed; the client resumes with Last-Event-ID');
      connection.end();
    } finally {
      this.reading = false;
    }
  }

  // Every event read moves the cursor, the ones the client filtered out too.
  private sendEvents(connection: SseConnection, events: readonly StreamEvent[]): void {
    const { types } = this.options;
    for (const e of events) {
      if (connection.closed) return;
      this.cursor = e.cursor;
      if (!types || types.has(e.type)) connection.send(frame(toEventEnvelope(e)));
    }
  }

  private holdBack(connection: SseConnection, heldBack: boolean): void {
    if (!heldBack || this.recheck || connection.closed) return;
    this.recheck = setTimeout(() => {
      this.recheck = undefined;
      this.wake();
    }, STREAM_HELD_BACK_POLL_MS);
    this.recheck.unref();
  }
}

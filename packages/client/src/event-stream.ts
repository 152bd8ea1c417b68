import { GatewayUnreachableError, PaygateApiError, errorOfBody } from './errors.js';
import { toTransportError, type HttpTransport } from './http.js';
import type { EventEnvelope } from './wire.js';

export type EventStreamOptions = {
  /** Resume after this event (sent as `Last-Event-ID`): the gateway replays what came after it. */
  lastEventId?: string | undefined;
  /** Only these event types (`?types=a,b`); every type when left out. */
  types?: readonly string[] | undefined;
  /** Ends the stream: the iteration returns (no error). */
  signal?: AbortSignal | undefined;
  /**
   * Called once the gateway accepted the stream (its answer's headers arrived): from then on every
   * event committed is delivered. `pg-cli listen` prints `Ready` here. With `follow`, at every (re)connection.
   */
  onOpen?: (() => void) | undefined;
};

/** One Server-Sent Events frame, as far as this stream uses them. */
type SseFrame = { id?: string; event?: string; data: string };

/**
 * Splits an SSE byte stream into frames (the WHATWG "event stream interpretation", reduced to
 * what the gateway sends: `id`, `event`, `data`, `retry` and `:` comments, which are its pings).
 */
export async function* sseFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let frame: { id?: string; event?: string; data: string[] } = { data: [] };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (frame.data.length > 0) {
            yield {
              ...(frame.id !== undefined ? { id: frame.id } : {}),
              ...(frame.event !== undefined ? { event: frame.event } : {}),
              data: frame.data.join('\n'),
            };
          }
          frame = { data: [] };
          continue;
        }
        if (line.startsWith(':')) continue; // a comment: the gateway's ping
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') frame.data.push(value);
        else if (field === 'id') frame.id = value;
        else if (field === 'event') frame.event = value;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * `GET /api/v1/events/stream` as an async iterable of event envelopes, one connection. It ends
 * when the gateway closes the stream (a restart, or the replay limit: reconnect with the last
 * id) or when `signal` aborts; a connection lost mid-stream throws {@link GatewayUnreachableError}.
 */
export async function* openEventStream(http: HttpTransport, options: EventStreamOptions = {}): AsyncGenerator<EventEnvelope> {
  const { signal } = options;
  if (signal?.aborted) return;
  const url = http.urlOf('/api/v1/events/stream', options.types && options.types.length > 0 ? { types: options.types.join(',') } : {});
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  let response: Response;
  try {
    // No timeout: a stream stays open for as long as the caller wants it.
    response = await http.fetch(url, { method: 'GET', headers, timeout: false }, signal);
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new PaygateApiError(
      response.status,
      errorOfBody(body) ?? { code: 'SERVER_ERROR', description: `The event stream answered ${response.status} ${response.statusText}.` },
      { retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined },
    );
  }
  if (!response.body) return;
  options.onOpen?.();
  try {
    for await (const frame of sseFrames(response.body)) {
      yield JSON.parse(frame.data) as EventEnvelope;
    }
  } catch (error) {
    if (signal?.aborted) return;
    const mapped = toTransportError(error, url, signal);
    // undici reports a connection cut mid-body as TypeError('terminated'): the gateway went away.
    if (mapped === error && error instanceof TypeError && error.message === 'terminated')
      throw new GatewayUnreachableError(url, 'ECONNRESET', { cause: error });
    throw mapped;
  }
}

export type FollowOptions = EventStreamOptions & {
  /**
   * Told each time the stream is lost and about to be reopened after `delayMs` (to say so on
   * screen). `error` is undefined when the gateway ended the stream itself.
   */
  onReconnect?: (info: { error: unknown; delayMs: number; attempt: number; lastEventId: string | undefined }) => void;
  /** Longest wait between reconnections (default 10 s); waits start at 250 ms and double. */
  maxDelayMs?: number;
};

/**
 * The event stream that outlives restarts and network drops: reconnects with backoff, sending the
 * last event's id so nothing is missed or repeated, until `signal` aborts. Refusals that a retry
 * cannot fix (bad credentials, bad `types`) are thrown; 429 and 503 wait as told and retry.
 */
export async function* followEventStream(http: HttpTransport, options: FollowOptions = {}): AsyncGenerator<EventEnvelope> {
  const { signal, onReconnect, maxDelayMs = 10_000 } = options;
  let lastEventId = options.lastEventId;
  let attempt = 0;
  while (!signal?.aborted) {
    let failure: unknown;
    try {
      for await (const event of openEventStream(http, { ...options, lastEventId })) {
        attempt = 0;
        lastEventId = event.id;
        yield event;
      }
    } catch (error) {
      const retriable = error instanceof GatewayUnreachableError || (error instanceof PaygateApiError && [429, 502, 503, 504].includes(error.status));
      if (!retriable) throw error;
      failure = error;
    }
    if (signal?.aborted) return;
    attempt += 1;
    const told = failure instanceof PaygateApiError && failure.retryAfterSeconds ? failure.retryAfterSeconds * 1000 : 0;
    const delayMs = Math.max(told, Math.min(maxDelayMs, 250 * 2 ** (attempt - 1)));
    onReconnect?.({ error: failure, delayMs, attempt, lastEventId });
    await sleep(delayMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

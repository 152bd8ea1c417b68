import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/** Reconnection delay the client is told to use (the SSE `retry:` field). */
export const STREAM_RETRY_MS = 2_000;
/** A client this far behind (bytes queued in the socket) is dropped; it resumes with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** The `end` of every stream open on one app. */
export type OpenStreams = Set<(comment?: string) => void>;

/** A Server-Sent Events response the route has taken over from Fastify (`reply.hijack()`). */
export interface SseConnection {
  /** True once the stream was ended or the client left; from then on nothing is sent. */
  readonly closed: boolean;
  /** Writes `chunk` as is (frames and comments are already SSE text). */
  send(chunk: string): void;
  /** Ends the stream, with `comment` as its last line if given, and drops the connection. */
  end(comment?: string): void;
}

export interface SseConnectionOptions {
  /** Where the connection registers while open, so that closing the app ends it. */
  streams: OpenStreams;
  log: FastifyBaseLogger;
  /** Named in the log line when the client falls too far behind. */
  merchantId: string;
  /** Runs once when the connection closes, however it closes (the client already left included). */
  onClose: () => void;
}

/** Ends every open stream when the app closes; the set to register streams in. */
export function endOpenStreamsOnClose(app: FastifyInstance): OpenStreams {
  // Ends every open stream, so that app.close() (graceful stop) is not held open by them.
  const open: OpenStreams = new Set();
  app.addHook('preClose', (done) => {
    for (const end of [...open]) end();
    done();
  });
  return open;
}

/**
 * Starts the SSE response on `res`: headers, then a comment and the reconnection delay. Returns
 * undefined when the client has already left (`onClose` has then run).
 */
export function openSseConnection(res: ServerResponse, options: SseConnectionOptions): SseConnection | undefined {
  const { streams, log, merchantId, onClose } = options;
  let closed = false;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    onClose();
    streams.delete(end);
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
        log.warn({ merchantId }, 'event stream client too far behind; disconnected');
        cleanup();
        res.destroy();
      }
    } catch (error) {
      log.warn({ err: error }, 'event stream write failed');
      end();
    }
  };

  res.on('close', cleanup);
  res.on('error', cleanup);
  if (res.destroyed) {
    // The client left before the stream began: nothing to open.
    cleanup();
    return undefined;
  }
  streams.add(end);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  send(`: connected\nretry: ${STREAM_RETRY_MS}\n\n`);
  return {
    get closed() {
      return closed;
    },
    send,
    end,
  };
}

import { isIP, connect as netConnect, type LookupFunction, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ResponseParser, type Http1Response, type ParsedResponse } from './http1-response-parser.js';

export class Http1TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export type Http1Pool = {
  /** POSTs `body`; resolves with the status, headers and up to `bodyLimit` bytes of the answer. */
  post(url: URL, headers: Readonly<Record<string, string>>, body: string, timeoutMs: number): Promise<Http1Response>;
  /** Closes every connection; requests still waiting fail. */
  close(): void;
};

/** Below the receiver's advertised keep-alive timeout, so we never send on a socket it is closing. */
const KEEP_ALIVE_MARGIN_MS = 1_000;

/**
 * A lean HTTP/1.1 client for webhook POSTs: keep-alive connections per origin, one request at a
 * time on each, responses framed by Content-Length, chunked encoding or the connection's close.
 *
 * Why not undici (which this replaced): a webhook is one small POST whose answer is read for its
 * status and first kilobyte, and undici's general machinery (dispatchers, body streams, an
 * AbortSignal per request, its wasm parser) cost 180–240 µs of CPU per request here against
 * ≈ 50 for writing the request and parsing the answer by hand (bench/micro/webhook-post.mjs), a
 * fifth of a worker's CPU per payment. What it leaves out on purpose: redirects (a webhook's
 * answer is its status), pipelining, HTTP/2, request bodies that are not strings.
 */
export function createHttp1Pool(options: {
  lookup?: LookupFunction;
  /** How long an idle connection is kept at most (less when the receiver says so). */
  idleMs: number;
  /** Bytes of a response body kept. */
  bodyLimit: number;
  /** Certificates to trust instead of the system's (tests). */
  ca?: string | Buffer;
}): Http1Pool {
  const idle = new Map<string, Connection[]>();
  const open = new Set<Connection>();
  let closed = false;

  const connect = (url: URL): Connection => {
    const host = hostOf(url);
    const https = url.protocol === 'https:';
    const port = Number(url.port) || (https ? 443 : 80);
    const lookup = options.lookup ? { lookup: options.lookup } : {};
    const socket = https
      ? tlsConnect({
          host,
          port,
          ...(isIP(host) ? {} : { servername: host }),
          ALPNProtocols: ['http/1.1'],
          ...lookup,
          ...(options.ca ? { ca: options.ca } : {}),
        })
      : netConnect({ host, port, ...lookup });
    socket.setNoDelay(true);
    const connection = new Connection(socket, url.origin, () => {
      open.delete(connection);
      const list = idle.get(connection.origin);
      const at = list?.indexOf(connection) ?? -1;
      if (at >= 0) list!.splice(at, 1);
    });
    open.add(connection);
    return connection;
  };

  const release = (connection: Connection, keepAliveMs: number) => {
    if (closed || keepAliveMs <= 0) return connection.destroy();
    connection.idle(keepAliveMs);
    let list = idle.get(connection.origin);
    if (!list) idle.set(connection.origin, (list = []));
    list.push(connection);
  };

  return {
    async post(url, headers, body, timeoutMs) {
      if (closed) throw new Error('the webhook sender is closed');
      const request = requestText(url, headers, body);
      const deadline = Date.now() + timeoutMs;
      // A kept connection the receiver closed meanwhile fails before any answer: the request goes
      // again on the next kept one, or on a new one (whose failure is final). Webhooks are
      // at-least-once: a receiver tells a repeat by its event id.
      for (;;) {
        const reused = idle.get(url.origin)?.pop();
        const connection = reused ?? connect(url);
        try {
          const { response, keepAliveMs } = await connection.exchange(request, deadline - Date.now(), timeoutMs, options.bodyLimit);
          release(connection, Math.min(options.idleMs, keepAliveMs));
          return response;
        } catch (error) {
          connection.destroy();
          if (reused && error instanceof NothingReceived && Date.now() < deadline) continue;
          throw error instanceof NothingReceived ? error.cause : error;
        }
      }
    },
    close() {
      closed = true;
      for (const connection of open) connection.destroy(new Error('the webhook sender closed'));
      idle.clear();
    },
  };
}

/** The host to connect to: the URL's, without the brackets of an IPv6 literal. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/** The request's bytes as one string (one write): the head, then the JSON body. */
function requestText(url: URL, headers: Readonly<Record<string, string>>, body: string): string {
  let head = `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    // Header values are ours (signatures, ids), but a line break in one would forge a header.
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new Error(`invalid header ${JSON.stringify(name)}`);
    head += `${name}: ${value}\r\n`;
  }
  return `${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** A failure before any byte of the answer came back (the request may be sent again). */
class NothingReceived extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

type Exchange = {
  resolve(result: { response: Http1Response; keepAliveMs: number }): void;
  reject(error: Error): void;
  parser: ResponseParser;
  timer: NodeJS.Timeout;
  received: boolean;
};

/** One socket: at most one request on it at a time, then idle until reused or expired. */
class Connection {
  private current: Exchange | undefined;
  private gone = false;

  constructor(
    private readonly socket: Socket,
    readonly origin: string,
    onGone: () => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => {
      this.gone = true;
      onGone();
      this.fail(new Error('the receiver closed the connection before answering'));
    });
    socket.on('timeout', () => socket.destroy()); // idle past the keep-alive window
  }

  exchange(request: string, remainingMs: number, timeoutMs: number, bodyLimit: number): Promise<{ response: Http1Response; keepAliveMs: number }> {
    if (this.gone) return Promise.reject(new NothingReceived(new Error('connection closed')));
    this.socket.setTimeout(0);
    this.socket.ref();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Http1TimeoutError(`timeout after ${timeoutMs} ms`)), Math.max(0, remainingMs));
      this.current = { resolve, reject, parser: new ResponseParser(bodyLimit), timer, received: false };
      this.socket.write(request);
    });
  }

  idle(keepAliveMs: number): void {
    this.socket.setTimeout(keepAliveMs);
    this.socket.unref(); // an idle connection never holds the process open
  }

  destroy(error?: Error): void {
    this.socket.destroy();
    if (error) this.fail(error);
  }

  private onData(chunk: Buffer): void {
    const exchange = this.current;
    if (!exchange) return void this.socket.destroy(); // nothing was asked: not a connection to trust
    exchange.received = true;
    let done: ParsedResponse | undefined;
    try {
      done = exchange.parser.push(chunk);
    } catch (error) {
      return this.fail(error as Error);
    }
    if (done) this.finish(done);
  }

  private onEnd(): void {
    const exchange = this.current;
    if (!exchange) return;
    const done = exchange.parser.end();
    if (done) this.finish({ ...done, reusable: false });
    else
      this.fail(
        new Error(exchange.received ? 'the receiver closed the connection in the middle of its answer' : 'the receiver closed the connection before answering'),
      );
  }

  private finish(done: ParsedResponse): void {
    const exchange = this.current!;
    this.current = undefined;
    clearTimeout(exchange.timer);
    exchange.resolve({ response: done.response, keepAliveMs: done.reusable && !this.gone ? keepAliveOf(done.response.headers) : 0 });
  }

  private fail(error: Error): void {
    const exchange = this.current;
    if (!exchange) return;
    this.current = undefined;
    clearTimeout(exchange.timer);
    this.socket.destroy();
    exchange.reject(exchange.received || error instanceof Http1TimeoutError ? error : new NothingReceived(error));
  }
}

/** How long the receiver says it keeps an idle connection (`Keep-Alive: timeout=N`), less a margin. */
function keepAliveOf(headers: Readonly<Record<string, string>>): number {
  const advertised = /(?:^|[,\s])timeout=(\d+)/i.exec(headers['keep-alive'] ?? '');
  return advertised ? Number(advertised[1]) * 1000 - KEEP_ALIVE_MARGIN_MS : Infinity;
}

import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/**
 * A fetch over `node:http(s)` for pg-cli's commands, which make one or two requests and exit.
 *
 * Node's global fetch (and its `Response` and `Headers`) load undici on first use: ≈ 90 ms and
 * 100 ms of CPU of a command that takes 550 ms in all, against 12 ms for a first request through
 * `node:http` (fifteenth sitting, see docs/performance.md). What it answers is the part of a
 * `Response` that `@paygate/client` reads (`ok`, `status`, `statusText`, `headers.get`, `text()`,
 * `json()`, `body` as a web stream for the live event stream), and it fails the way fetch does:
 * `TypeError('fetch failed')` with the system error (ECONNREFUSED…) as its cause, and a signal's
 * abort rejects with the signal's reason (a `TimeoutError` for `AbortSignal.timeout`).
 *
 * Redirects are not followed: the gateway's API answers where it is asked, and a redirect shows
 * as an error naming its status.
 */
export const nodeHttpFetch = ((input: string | URL, init: RequestInit = {}): Promise<Response> => {
  const url = new URL(String(input));
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const body = bodyBytes(init.body);
  return new Promise<Response>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!transport) {
      reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) }));
      return;
    }
    const headers = headerRecord(init.headers);
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    const request = transport.request(url, { method: init.method ?? 'GET', headers });
    const onAbort = () => {
      request.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new TypeError('fetch failed', { cause: error }));
    });
    request.on('response', (incoming) => {
      // Until the body is read or dropped, an abort must still end it (see NodeHttpResponse.text).
      incoming.once('close', () => signal?.removeEventListener('abort', onAbort));
      resolve(new NodeHttpResponse(incoming, signal) as unknown as Response);
    });
    request.end(body);
  });
}) as typeof fetch;

/** What our callers send: a string (JSON) or bytes. */
function bodyBytes(body: RequestInit['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return body;
  throw new TypeError('nodeHttpFetch sends a string or bytes as a body');
}

/** Headers as a plain record, from a record, pairs, or anything with `forEach` (a `Headers`). */
function headerRecord(given: RequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  if (given === undefined) return record;
  if (Array.isArray(given)) for (const [name, value] of given as Array<[string, string]>) record[name.toLowerCase()] = value;
  else if (typeof (given as { forEach?: unknown }).forEach === 'function') {
    (given as { forEach(fn: (value: string, name: string) => void): void }).forEach((value, name) => (record[name.toLowerCase()] = value));
  } else for (const [name, value] of Object.entries(given)) record[name.toLowerCase()] = String(value);
  return record;
}

/** An answer read from a `node:http` response: what a fetch `Response` offers that our callers read. */
class NodeHttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  readonly #incoming: http.IncomingMessage;
  readonly #signal: AbortSignal | undefined;
  #used = false;
  #stream: WebReadableStream<Uint8Array> | undefined;

  constructor(incoming: http.IncomingMessage, signal: AbortSignal | undefined) {
    this.#incoming = incoming;
    this.#signal = signal;
    this.status = incoming.statusCode ?? 0;
    this.statusText = incoming.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    const raw = incoming.headers;
    this.headers = {
      get: (name) => {
        const value = raw[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  /** The body as a web stream (the event stream reads it frame by frame); the same one each time, as fetch's. */
  get body(): WebReadableStream<Uint8Array> {
    if (this.#stream === undefined) {
      this.#take();
      this.#stream = Readable.toWeb(this.#incoming) as WebReadableStream<Uint8Array>;
    }
    return this.#stream;
  }

  async text(): Promise<string> {
    this.#take();
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of this.#incoming) chunks.push(chunk as Buffer);
    } catch (error) {
      if (this.#signal?.aborted) throw this.#signal.reason;
      throw new TypeError('fetch failed', { cause: error });
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  #take(): void {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
  }
}

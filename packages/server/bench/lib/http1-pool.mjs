// The load generator's transport: HTTP/1.1 over keep-alive sockets, each request written as one
// string and each response read by the webhook sender's own parser. It is the
// bench's counterpart to pgbench's C client: every microsecond the load generator spends is taken
// from the two cores it shares with what it measures, and undici's request API (streams, a body
// mixin, an abort signal per request) cost 35–39 µs per request here against 14–16 for this.
import net from 'node:net';
import { ResponseParser } from '../../dist/adapters/webhook-sender/http1-response-parser.js';

// Responses are read by the webhook sender's parser (Content-Length, chunked, 1xx skipped), one
// per request; the bench keeps every byte of a body.
const BODY_LIMIT = 16 * 1024 * 1024;

/** One keep-alive connection, one request at a time (no pipelining, as a browser or SDK sends). */
class Connection {
  constructor(url, onIdle, onGone) {
    this.current = undefined;
    this.socket = net.connect(Number(url.port), url.hostname);
    this.socket.setNoDelay(true);
    this.socket.on('data', (bytes) => {
      if (!this.current) return;
      let done;
      try {
        done = this.current.parser.push(bytes);
      } catch (error) {
        this.fail(error);
        return;
      }
      if (!done) return;
      const { resolve } = this.current;
      this.current = undefined;
      resolve({ status: done.response.statusCode, body: done.response.body.toString('utf8') });
      if (done.reusable) onIdle(this);
      else this.socket.destroy(); // 'close' follows: a new connection takes what waits
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => {
      this.fail(new Error('the server closed the connection'));
      onGone(this);
    });
  }

  send(text, resolve, reject) {
    this.current = { resolve, reject, parser: new ResponseParser(BODY_LIMIT) };
    this.socket.write(text);
  }

  fail(error) {
    const current = this.current;
    this.current = undefined;
    current?.reject(error);
    this.socket.destroy();
  }
}

/**
 * A pool of up to `connections` keep-alive connections to one server. `request` resolves with the
 * status and body text of any response (a 4xx or 5xx is the caller's to judge).
 */
export class Http1Pool {
  idle = [];
  waiting = [];
  open = 0;

  constructor(baseUrl, connections) {
    this.url = new URL(baseUrl);
    this.connections = connections;
  }

  /** `headerText` is the request's header lines, each ending in CRLF (built once by the caller). */
  request(method, path, headerText, body) {
    const length = body === undefined ? '' : `content-length: ${Buffer.byteLength(body)}\r\n`;
    const text = `${method} ${path} HTTP/1.1\r\nhost: ${this.url.host}\r\n${headerText}${length}\r\n${body ?? ''}`;
    return new Promise((resolve, reject) => {
      const connection = this.idle.pop() ?? this.connect();
      if (connection) connection.send(text, resolve, reject);
      else this.waiting.push({ text, resolve, reject });
    });
  }

  connect() {
    if (this.open >= this.connections) return undefined;
    this.open += 1;
    return new Connection(
      this.url,
      (connection) => {
        const next = this.waiting.shift();
        if (next) connection.send(next.text, next.resolve, next.reject);
        else this.idle.push(connection);
      },
      (connection) => {
        this.open -= 1;
        this.idle = this.idle.filter((c) => c !== connection);
        const next = this.waiting.shift(); // a replacement carries on with what waited
        if (next) this.connect().send(next.text, next.resolve, next.reject);
      },
    );
  }

  close() {
    for (const connection of this.idle) connection.socket.end();
    this.idle = [];
  }
}

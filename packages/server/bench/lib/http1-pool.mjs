// The load generator's transport: HTTP/1.1 over keep-alive sockets, each request written as one
// string and each response parsed by hand (status line, Content-Length or chunked body). It is the
// bench's counterpart to pgbench's C client: every microsecond the load generator spends is taken
// from the two cores it shares with what it measures, and undici's request API (streams, a body
// mixin, an abort signal per request) cost 35–39 µs per request here against 14–16 for this.
import net from 'node:net';

const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/** A response: its status code and its body as text. */
class Response {
  constructor(status, body) {
    this.status = status;
    this.body = body;
  }
}

/** Reads one HTTP/1.1 response after another off a socket's bytes. */
class ResponseReader {
  buffered = Buffer.alloc(0);

  /** Adds bytes; returns the responses they complete (usually none or one). */
  push(bytes) {
    this.buffered = this.buffered.length === 0 ? bytes : Buffer.concat([this.buffered, bytes]);
    const done = [];
    for (let response = this.next(); response; response = this.next()) done.push(response);
    return done;
  }

  next() {
    const buf = this.buffered;
    const headEnd = buf.indexOf(HEAD_END);
    if (headEnd < 0) return undefined;
    const head = buf.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const bodyStart = headEnd + 4;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (length) {
      const end = bodyStart + Number(length[1]);
      if (buf.length < end) return undefined;
      this.buffered = buf.subarray(end);
      return new Response(status, buf.toString('utf8', bodyStart, end));
    }
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return this.chunked(status, bodyStart);
    if (status === 204 || status === 304) {
      this.buffered = buf.subarray(bodyStart);
      return new Response(status, '');
    }
    throw new Error(`response ${status} has neither Content-Length nor chunked encoding: the bench's client cannot tell where it ends`);
  }

  chunked(status, bodyStart) {
    const buf = this.buffered;
    const parts = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf(CRLF, at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      const dataEnd = lineEnd + 2 + size;
      if (buf.length < dataEnd + 2) return undefined;
      if (size === 0) {
        this.buffered = buf.subarray(dataEnd + 2); // no trailers from our servers
        return new Response(status, Buffer.concat(parts).toString('utf8'));
      }
      parts.push(buf.subarray(lineEnd + 2, dataEnd));
      at = dataEnd + 2;
    }
  }
}

/** One keep-alive connection, one request at a time (no pipelining, as a browser or SDK sends). */
class Connection {
  constructor(url, onIdle, onGone) {
    this.current = undefined;
    this.reader = new ResponseReader();
    this.socket = net.connect(Number(url.port), url.hostname);
    this.socket.setNoDelay(true);
    this.socket.on('data', (bytes) => {
      let responses;
      try {
        responses = this.reader.push(bytes);
      } catch (error) {
        this.fail(error);
        return;
      }
      for (const response of responses) {
        const { resolve } = this.current;
        this.current = undefined;
        resolve(response);
        onIdle(this);
      }
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => {
      this.fail(new Error('the server closed the connection'));
      onGone(this);
    });
  }

  send(text, resolve, reject) {
    this.current = { resolve, reject };
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

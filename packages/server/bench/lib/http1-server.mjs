// The webhook receiver's transport: HTTP/1.1 requests read straight off keep-alive sockets, the
// counterpart of http1-pool.mjs on the receiving side. The receiver plays the merchant's server on
// the two cores it shares with what it measures, and Node's http server (an IncomingMessage, a
// ServerResponse and a headers object per request, a stream for the body) cost it 54–65 µs of
// CPU a webhook against 39–54 for this (bench/micro/receiver-cost.mjs); in the bench's closed
// loop the bench's own column fell from 149–170 µs a payment to 105–115.
import net from 'node:net';

const HEAD_END = Buffer.from('\r\n\r\n');
/** A head longer than this without its end is not a request we will read. */
const HEAD_LIMIT = 64 * 1024;
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK';

/** `name`'s value in a request head (latin1 text, request line first), or undefined. */
export function headerValue(head, name) {
  const match = headerPattern(name).exec(head);
  return match ? match[1].trimEnd() : undefined;
}

const patterns = new Map();
function headerPattern(name) {
  let pattern = patterns.get(name);
  if (!pattern) patterns.set(name, (pattern = new RegExp(`\\r\\n${name}:[ \\t]*([^\\r]*)`, 'i')));
  return pattern;
}

/**
 * A server that answers every request `200 OK` as soon as its body is in, then hands it to
 * `onRequest(head, body)`: the head as latin1 text, the body as the bytes sent. Bodies must come
 * with Content-Length, as the gateway's webhook sender writes them: a chunked request is answered
 * 501 and its connection closed, a malformed length 400. Requests pipelined on one connection are
 * read in order. `onConnection()` is called for each connection accepted. Its `close()` also
 * closes the connections kept alive (a sender holds them open for its next request).
 */
export function createHttp1Server(onRequest, onConnection = () => {}) {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    onConnection();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    let unread; // bytes of a request not yet complete
    socket.on('data', (chunk) => {
      if (socket.writableEnded) return; // answered for the last time (refused, or asked to close)
      const bytes = unread ? Buffer.concat([unread, chunk]) : chunk;
      let at = 0;
      for (;;) {
        const headEnd = bytes.indexOf(HEAD_END, at);
        if (headEnd < 0) {
          if (bytes.length - at > HEAD_LIMIT) return refuse(socket, '431 Request Header Fields Too Large');
          break;
        }
        const head = bytes.toString('latin1', at, headEnd);
        if (headerValue(head, 'transfer-encoding') !== undefined) return refuse(socket, '501 Not Implemented');
        const lengthText = headerValue(head, 'content-length') ?? '0';
        if (!/^\d+$/.test(lengthText)) return refuse(socket, '400 Bad Request');
        const bodyStart = headEnd + HEAD_END.length;
        const bodyEnd = bodyStart + Number(lengthText);
        if (bytes.length < bodyEnd) break;
        at = bodyEnd;
        const closing = /^close$/i.test(headerValue(head, 'connection') ?? '');
        if (closing) socket.end(OK);
        else socket.write(OK);
        onRequest(head, bytes.subarray(bodyStart, bodyEnd));
        if (closing) return;
      }
      unread = at < bytes.length ? bytes.subarray(at) : undefined;
    });
  });
  return {
    /** Resolves with the port it listens on (a free one for port 0). */
    listen: (port, host) => new Promise((resolve) => server.listen(port, host, () => resolve(server.address().port))),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Answers `status` and closes: the connection's bytes can no longer be read as requests. */
function refuse(socket, status) {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

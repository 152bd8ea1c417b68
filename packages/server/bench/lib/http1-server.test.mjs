import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttp1Server, headerValue } from './http1-server.mjs';

// Raw sockets on loopback write the bytes a sender could: whole requests, pipelined ones, a
// request in small pieces, a chunked one. What the server answers is read back off the socket.
describe("the bench's HTTP/1.1 server", () => {
  let server;
  afterEach(() => server?.close());

  async function start() {
    const requests = [];
    let connections = 0;
    server = createHttp1Server(
      (head, body) => requests.push({ head, body: body.toString('utf8') }),
      () => (connections += 1),
    );
    const port = await server.listen(0, '127.0.0.1');
    return { port, requests, connections: () => connections };
  }

  /** Connects, writes each piece in turn (a tick apart), resolves with all it read once `until` matches or the socket closed. */
  function exchange(port, pieces, until) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let read = '';
      socket.on('data', (d) => {
        read += d;
        if (until?.test(read)) resolve({ read, socket });
      });
      socket.on('close', () => resolve({ read, socket }));
      socket.on('error', reject);
      socket.on('connect', async () => {
        for (const piece of pieces) {
          socket.write(piece);
          await new Promise((r) => setTimeout(r, 5));
        }
      });
    });
  }

  const post = (body, extra = '') =>
    `POST /webhook HTTP/1.1\r\nHost: x\r\nX-Webhook-Signature: abc \r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

  it('answers 200 OK and hands over the head and the body, byte for byte', async () => {
    const { port, requests, connections } = await start();
    const body = '{"name":"Zoë ✓"}';
    const { read, socket } = await exchange(port, [post(body)], /OK$/);
    socket.destroy();
    expect(read).toBe('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK');
    expect(requests).toHaveLength(1);
    expect(requests[0].body).toBe(body);
    expect(headerValue(requests[0].head, 'x-webhook-signature')).toBe('abc');
    expect(headerValue(requests[0].head, 'X-Missing')).toBeUndefined();
    expect(connections()).toBe(1);
  });

  it('reads requests pipelined in one write, and one written in small pieces, in order', async () => {
    const { port, requests } = await start();
    const whole = post('first') + post('second');
    const split = post('{"third":true}');
    const pieces = [whole, split.slice(0, 10), split.slice(10, 60), split.slice(60, -3), split.slice(-3)];
    const { read, socket } = await exchange(port, pieces, /(\r\n\r\nOK[^]*){3}/);
    socket.destroy();
    expect(read.match(/200 OK/g)).toHaveLength(3);
    expect(requests.map((r) => r.body)).toEqual(['first', 'second', '{"third":true}']);
  });

  it('refuses a chunked body with 501 and closes the connection, reading nothing after it', async () => {
    const { port, requests } = await start();
    const chunked = 'POST /webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nOK\r\n0\r\n\r\n';
    const { read } = await exchange(port, [chunked + post('after')]);
    expect(read).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n/);
    expect(requests).toHaveLength(0);
  });

  it('refuses a malformed Content-Length with 400', async () => {
    const { port, requests } = await start();
    const { read } = await exchange(port, ['POST /webhook HTTP/1.1\r\nContent-Length: 12abc\r\n\r\n']);
    expect(read).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(requests).toHaveLength(0);
  });

  it('closes after answering a request that asks for it', async () => {
    const { port, requests } = await start();
    const { read } = await exchange(port, [post('bye', 'Connection: close\r\n') + post('never')]);
    expect(read).toBe('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK');
    expect(requests.map((r) => r.body)).toEqual(['bye']);
  });

  it('closes the connections a sender keeps alive when it closes', async () => {
    const { port } = await start();
    const { socket } = await exchange(port, [post('kept')], /OK$/);
    const closed = new Promise((r) => socket.once('close', r));
    await server.close();
    server = undefined;
    await closed;
    expect(socket.destroyed).toBe(true);
  });
});

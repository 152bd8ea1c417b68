import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttp1Pool, type Http1Pool } from './http1-pool.js';

const tlsFixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/tls/${name}`, import.meta.url));

type Listening = { url: (path?: string) => URL; connections: () => number; close: () => Promise<void> };

/** Starts a server on a free loopback port and counts the connections it accepts. */
async function listen(server: HttpServer | NetServer, protocol = 'http'): Promise<Listening> {
  let connections = 0;
  const sockets = new Set<Socket>();
  server.on(protocol === 'https' ? 'secureConnection' : 'connection', () => (connections += 1));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => new URL(`${protocol}://localhost:${port}${path}`),
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A receiver that reads each request whole, then writes `answer(requestNumber)` as raw bytes. */
function rawReceiver(answer: (n: number, socket: Socket) => string | undefined): NetServer {
  let n = 0;
  return createNetServer((socket) => {
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: *(\d+)/i.exec(pending.slice(0, end))?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.slice(end + 4 + length);
        n += 1;
        const bytes = answer(n, socket);
        if (bytes !== undefined) socket.write(bytes);
      }
    });
    socket.on('error', () => undefined);
  });
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function pool(options: Partial<Parameters<typeof createHttp1Pool>[0]> = {}): Http1Pool {
  const created = createHttp1Pool({ idleMs: 10_000, bodyLimit: 1024, ...options });
  cleanup.push(() => created.close());
  return created;
}

async function started(server: HttpServer | NetServer, protocol?: string): Promise<Listening> {
  const listening = await listen(server, protocol);
  cleanup.push(() => listening.close());
  return listening;
}

describe('HTTP/1.1 pool for webhook POSTs', () => {
  it('sends the request as written (path, query, Host, headers, body) and reuses one connection for the next', async () => {
    const seen: Array<{ method?: string; url?: string; host?: string; signature?: string; body: string }> = [];
    const receiver = await started(
      createHttpServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          seen.push({ method: req.method, url: req.url, host: req.headers.host, signature: req.headers['x-webhook-signature'] as string, body });
          res.setHeader('Retry-After', '7');
          res.end(`got ${body.length}`);
        });
      }),
    );
    const client = pool();
    const body = JSON.stringify({ amount: 50000, note: 'naïve ₹' });
    const first = await client.post(receiver.url('/hook?x=1'), { 'x-webhook-signature': 'abc' }, body, 2_000);
    const second = await client.post(receiver.url('/hook?x=1'), { 'x-webhook-signature': 'def' }, body, 2_000);

    expect(first.statusCode).toBe(200);
    expect(first.body.toString()).toBe(`got ${body.length}`);
    expect(first.headers['retry-after']).toBe('7');
    expect(seen).toEqual([
      { method: 'POST', url: '/hook?x=1', host: receiver.url().host, signature: 'abc', body },
      { method: 'POST', url: '/hook?x=1', host: receiver.url().host, signature: 'def', body },
    ]);
    expect(second.statusCode).toBe(200);
    expect(receiver.connections()).toBe(1);
  });

  it('reads a chunked body, keeps only bodyLimit bytes of it, and reuses the connection after it', async () => {
    const chunked = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    const receiver = await started(
      rawReceiver(() => `HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n${chunked('x'.repeat(30))}${chunked('y'.repeat(30))}0\r\nX-Trailer: t\r\n\r\n`),
    );
    const client = pool({ bodyLimit: 40 });
    const first = await client.post(receiver.url(), {}, '{}', 2_000);
    const second = await client.post(receiver.url(), {}, '{}', 2_000);
    expect(first.statusCode).toBe(500);
    expect(first.body.toString()).toBe('x'.repeat(30) + 'y'.repeat(10));
    expect(second.body.toString()).toBe(first.body.toString());
    expect(receiver.connections()).toBe(1);
  });

  it('skips interim 1xx answers, and takes an answer without a length as running until the close (no reuse)', async () => {
    const receiver = await started(
      rawReceiver((_n, socket) => {
        socket.end('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Type: text/plain\r\n\r\nuntil the end');
        return undefined;
      }),
    );
    const client = pool();
    const first = await client.post(receiver.url(), {}, '{}', 2_000);
    const second = await client.post(receiver.url(), {}, '{}', 2_000);
    expect(first).toMatchObject({ statusCode: 202, headers: { 'content-type': 'text/plain' } });
    expect(first.body.toString()).toBe('until the end');
    expect(second.statusCode).toBe(202);
    expect(receiver.connections()).toBe(2);
  });

  it('closes instead of reusing a connection whose answer is larger than it will read, or that says Connection: close', async () => {
    const big = 'z'.repeat(200_000);
    const receiver = await started(
      rawReceiver((n) =>
        n === 1 ? `HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n${big}` : 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
      ),
    );
    const client = pool({ bodyLimit: 10 });
    const first = await client.post(receiver.url(), {}, '{}', 2_000);
    expect(first.body.toString()).toBe('z'.repeat(10));
    await client.post(receiver.url(), {}, '{}', 2_000);
    await client.post(receiver.url(), {}, '{}', 2_000);
    expect(receiver.connections()).toBe(3);
  });

  it('sends again on a new connection when a kept one turns out closed by the receiver before any answer', async () => {
    const onSocket = new WeakMap<Socket, number>();
    const receiver = await started(
      rawReceiver((_n, socket) => {
        const nth = (onSocket.get(socket) ?? 0) + 1;
        onSocket.set(socket, nth);
        // The second request on a kept connection finds it closing (a receiver's idle timeout racing our reuse).
        if (nth === 2) return void socket.destroy();
        return 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
      }),
    );
    const client = pool();
    await client.post(receiver.url(), {}, '{}', 2_000);
    const second = await client.post(receiver.url(), {}, '{}', 2_000);
    expect(second.statusCode).toBe(200);
    expect(second.body.toString()).toBe('ok');
    expect(receiver.connections()).toBe(2);
  });

  it('does not send again when a new connection fails before any answer', async () => {
    const receiver = await started(rawReceiver((_n, socket) => void socket.destroy()));
    await expect(pool().post(receiver.url(), {}, '{}', 2_000)).rejects.toThrow(/closed the connection before answering|ECONNRESET/);
    expect(receiver.connections()).toBe(1);
  });

  it('keeps a connection no longer than the receiver advertises (Keep-Alive: timeout=1 means not at all)', async () => {
    const receiver = await started(rawReceiver(() => 'HTTP/1.1 204 No Content\r\nKeep-Alive: timeout=1\r\n\r\n'));
    const client = pool();
    expect((await client.post(receiver.url(), {}, '{}', 2_000)).statusCode).toBe(204);
    expect((await client.post(receiver.url(), {}, '{}', 2_000)).statusCode).toBe(204);
    expect(receiver.connections()).toBe(2);
  });

  it('fails with a timeout when the receiver never answers, and a later request still goes out on a fresh connection', async () => {
    const receiver = await started(rawReceiver((n) => (n === 1 ? undefined : 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')));
    const client = pool();
    await expect(client.post(receiver.url(), {}, '{}', 150)).rejects.toMatchObject({ name: 'TimeoutError', message: 'timeout after 150 ms' });
    expect((await client.post(receiver.url(), {}, '{}', 2_000)).statusCode).toBe(200);
    expect(receiver.connections()).toBe(2);
  });

  it.each([
    ['closes in the middle of its answer', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', /in the middle of its answer/],
    ['answers in something else than HTTP/1.x', 'SSH-2.0-OpenSSH_9.2\r\n\r\n', /did not answer in HTTP\/1\.x/],
    ['sends a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /malformed chunk size/],
    ['sends an invalid Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n', /invalid Content-Length/],
  ])('fails, with what went wrong, when the receiver %s', async (_what, bytes, message) => {
    const receiver = await started(
      rawReceiver((_n, socket) => {
        socket.end(bytes);
        return undefined;
      }),
    );
    await expect(pool().post(receiver.url(), {}, '{}', 2_000)).rejects.toThrow(message);
  });

  it('refuses a header value that would start another header', async () => {
    const receiver = await started(rawReceiver(() => 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    await expect(pool().post(receiver.url(), { 'x-webhook-id': 'evt_1\r\nx-forged: 1' }, '{}', 2_000)).rejects.toThrow(/invalid header/);
    expect(receiver.connections()).toBe(0);
  });

  it('fails a request still waiting when the pool closes', async () => {
    const receiver = await started(rawReceiver(() => undefined));
    const client = pool();
    const waiting = client.post(receiver.url(), {}, '{}', 5_000);
    await expect.poll(() => receiver.connections()).toBe(1);
    client.close();
    await expect(waiting).rejects.toThrow(/closed/);
  });

  it('speaks TLS to https URLs, and refuses a certificate it does not trust', async () => {
    const receiver = await started(
      createHttpsServer({ key: tlsFixture('localhost.key'), cert: tlsFixture('localhost.crt') }, (_req, res) => res.end('secure')),
      'https',
    );
    const trusting = pool({ ca: tlsFixture('localhost.crt') });
    const answer = await trusting.post(receiver.url(), {}, '{}', 2_000);
    expect(answer.body.toString()).toBe('secure');
    await trusting.post(receiver.url(), {}, '{}', 2_000);
    expect(receiver.connections()).toBe(1);

    await expect(pool().post(receiver.url(), {}, '{}', 2_000)).rejects.toThrow(/self-signed certificate/);
  });
});

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: IncomingHttpHeaders; body: string; at: number; event: string; id: string };

/**
 * A real HTTP webhook receiver on 127.0.0.1. `respond` decides each answer (default 200), so a
 * test can script "500 twice, then 200".
 */
export async function startReceiver(respond: (n: number, r: Received) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      let parsed: { event?: string; id?: string } = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        /* keep raw */
      }
      const r: Received = { headers: req.headers, body, at: Date.now(), event: parsed.event ?? '', id: parsed.id ?? '' };
      received.push(r);
      const answer = respond(received.length, r);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.status < 300 ? 'OK' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A receiver that never answers: each request is held open until the gateway gives up on it.
 * `aborted` counts the requests the gateway cut off (its timeout fired), `firstAbortAt` says when.
 */
export async function startHangingReceiver() {
  const received: Received[] = [];
  const state = { aborted: 0, firstAbortAt: undefined as number | undefined };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      let parsed: { event?: string; id?: string } = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        /* keep raw */
      }
      received.push({ headers: req.headers, body, at: Date.now(), event: parsed.event ?? '', id: parsed.id ?? '' });
    });
    res.on('close', () => {
      if (res.writableFinished) return;
      state.aborted += 1;
      state.firstAbortAt ??= Date.now();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A receiver that answers 200 with these raw bytes as the body (NUL bytes, invalid UTF-8,
 * anything): what a careless merchant endpoint may send back.
 */
export async function startRawBodyReceiver(bytes: Buffer) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      let parsed: { event?: string; id?: string } = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        /* keep raw */
      }
      received.push({ headers: req.headers, body, at: Date.now(), event: parsed.event ?? '', id: parsed.id ?? '' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
      res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: IncomingHttpHeaders; body: string; at: number; event: string; id: string };

/** Reads a delivery's whole body, then hands it over parsed (event and id; raw if not JSON). */
function onDelivery(req: IncomingMessage, handle: (r: Received) => void): void {
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
    handle({ headers: req.headers, body, at: Date.now(), event: parsed.event ?? '', id: parsed.id ?? '' });
  });
}

/** Listens on a free loopback port; the webhook URL to give the gateway. */
async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
}

/**
 * A real HTTP webhook receiver on 127.0.0.1. `respond` decides each answer (default 200), so a
 * test can script "500 twice, then 200".
 */
export async function startReceiver(respond: (n: number, r: Received) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    onDelivery(req, (r) => {
      received.push(r);
      const answer = respond(received.length, r);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.status < 300 ? 'OK' : 'nope');
    });
  });
  return {
    url: await listenOnLoopback(server),
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
    onDelivery(req, (r) => received.push(r));
    res.on('close', () => {
      if (res.writableFinished) return;
      state.aborted += 1;
      state.firstAbortAt ??= Date.now();
    });
  });
  return {
    url: await listenOnLoopback(server),
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
    onDelivery(req, (r) => {
      received.push(r);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
      res.end(bytes);
    });
  });
  return {
    url: await listenOnLoopback(server),
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

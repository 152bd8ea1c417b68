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

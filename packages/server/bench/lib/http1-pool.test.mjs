import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Http1Pool } from './http1-pool.mjs';

// A real HTTP server on loopback that answers in the shapes the bench's client must read: a JSON
// body with Content-Length, a chunked body written in pieces, an empty 204, and an error status.
describe("the bench's HTTP/1.1 pool", () => {
  let server;
  let baseUrl;
  const seen = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, key: req.headers['x-api-key'], body, socket: req.socket.remotePort });
        if (req.url === '/chunked') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('first,');
          setImmediate(() => res.end('second ünïcode'));
        } else if (req.url === '/empty') {
          res.writeHead(204).end();
        } else if (req.url === '/missing') {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no"}');
        } else {
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ echoed: JSON.parse(body || 'null') }));
        }
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${server.address().port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('sends method, path, headers and body, and reads each kind of response whole', async () => {
    const pool = new Http1Pool(baseUrl, 1);
    const posted = await pool.request('POST', '/orders', 'x-api-key: key_1\r\ncontent-type: application/json\r\n', JSON.stringify({ note: 'é' }));
    expect(posted).toEqual({ status: 201, body: JSON.stringify({ echoed: { note: 'é' } }) });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/orders', key: 'key_1', body: '{"note":"é"}' });
    expect(await pool.request('GET', '/chunked', '')).toEqual({ status: 200, body: 'first,second ünïcode' });
    expect(await pool.request('GET', '/empty', '')).toEqual({ status: 204, body: '' });
    expect(await pool.request('GET', '/missing', '')).toEqual({ status: 404, body: '{"error":"no"}' });
    pool.close();
  });

  it('keeps connections alive, never opens more than asked, and queues the rest in order', async () => {
    const pool = new Http1Pool(baseUrl, 3);
    const before = seen.length;
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => pool.request('POST', `/n/${i}`, '', String(i))));
    expect(answers.map((a) => JSON.parse(a.body).echoed)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const sockets = new Set(seen.slice(before).map((s) => s.socket));
    expect(sockets.size).toBe(3);
    pool.close();
  });

  it('rejects a request whose server is gone, naming why', async () => {
    const pool = new Http1Pool('http://127.0.0.1:1', 1); // nothing listens on port 1
    await expect(pool.request('GET', '/', '')).rejects.toThrow(/ECONNREFUSED|closed/);
  });
});

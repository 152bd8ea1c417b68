import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GatewayUnreachableError, PaygateApiError, PaygateRestClient } from '@paygate/client/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from '../src/api/node-http-fetch.js';

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

describe('nodeHttpFetch', () => {
  const seen: Seen[] = [];
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url === '/json') {
          res.writeHead(201, 'Created', { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
          res.end(JSON.stringify({ echoed: body }));
        } else if (req.url === '/api/v1/orders') {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
          res.end(JSON.stringify({ error: { code: 'RATE_LIMITED', description: 'Slow down.' } }));
        } else if (req.url === '/stream') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: one\n\n');
          setTimeout(() => res.end('data: two\n\n'), 20);
        } else if (req.url === '/hang') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"partial":'); // and never the rest
        } else {
          res.writeHead(404, 'Not Found');
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, headers and body, and answers status, headers and body as fetch does', async () => {
    const response = await nodeHttpFetch(`${base}/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'k' },
      body: '{"a":1}',
    });

    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/json', body: '{"a":1}' });
    expect(seen.at(-1)!.headers).toMatchObject({ 'content-type': 'application/json', 'x-api-key': 'k', 'content-length': '7' });
    expect([response.status, response.statusText, response.ok]).toEqual([201, 'Created', true]);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('x-multi')).toBe('a, b');
    expect(response.headers.get('x-absent')).toBeNull();
    expect(await response.json()).toEqual({ echoed: '{"a":1}' });
    await expect(response.text()).rejects.toThrow(/already been read/);
  });

  it('answers an error status as a response, not a failure', async () => {
    const response = await nodeHttpFetch(`${base}/nothing-here`);

    expect([response.status, response.statusText, response.ok]).toEqual([404, 'Not Found', false]);
    expect(await response.text()).toBe('');
  });

  it('gives the body as a web stream, the same one each time it is asked for', async () => {
    const response = await nodeHttpFetch(`${base}/stream`);
    expect(response.body).toBe(response.body);

    let text = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) text += Buffer.from(chunk).toString('utf8');
    expect(text).toBe('data: one\n\ndata: two\n\n');
  });

  it('fails as fetch does when nobody listens: TypeError "fetch failed" with the system error as its cause', async () => {
    const error = await nodeHttpFetch('http://127.0.0.1:9/').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });

  it('speaks TLS to an https URL (a plain HTTP server fails its handshake) and refuses other protocols', async () => {
    const tls = await nodeHttpFetch(base.replace('http:', 'https:') + '/json').catch((e: unknown) => e);
    expect((tls as Error).message).toBe('fetch failed');
    expect((tls as { cause?: { code?: string } }).cause?.code).toMatch(/^(EPROTO|ERR_SSL_)/);

    await expect(nodeHttpFetch('ftp://127.0.0.1/')).rejects.toThrow('fetch failed');
  });

  it("rejects with the signal's reason when aborted, before the answer or while its body is read", async () => {
    const before = new AbortController();
    before.abort(new Error('not now'));
    await expect(nodeHttpFetch(`${base}/json`, { signal: before.signal })).rejects.toThrow('not now');

    const response = await nodeHttpFetch(`${base}/hang`, { signal: AbortSignal.timeout(100) });
    const error = await response.text().catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
  });

  it('carries @paygate/client: answers, API errors with their retry-after, and unreachable gateways', async () => {
    const client = new PaygateRestClient({ apiUrl: base, apiKey: 'key', apiSecret: 'secret', fetch: nodeHttpFetch });

    // A 429 with an error body becomes the API error, its retry-after read through headers.get.
    const limited = await client.orders.list().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(PaygateApiError);
    expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 7 });
    expect(seen.at(-1)!.headers).toMatchObject({ 'x-api-key': 'key', 'x-api-secret': 'secret', accept: 'application/json' });

    const down = new PaygateRestClient({ apiUrl: 'http://127.0.0.1:9', apiKey: 'key', apiSecret: 'secret', fetch: nodeHttpFetch });
    await expect(down.orders.list()).rejects.toBeInstanceOf(GatewayUnreachableError);
  });
});

describe('a client command', () => {
  it('does not load undici, which global fetch would (≈ 90 ms of every command)', async () => {
    // A gateway that is not there: the command makes its request, fails to connect (exit 6), and
    // reports at exit the internal modules it loaded.
    const report = 'process.on("exit", () => process.stderr.write("UNDICI=" + process.moduleLoadList.some((m) => m.includes("undici")) + "\\n"))';
    const { stderr } = await promisify(execFile)(process.execPath, [
      '--import',
      `data:text/javascript,${encodeURIComponent(report)}`,
      join(import.meta.dirname, '..', 'bin', 'run.js'),
      'orders',
      'list',
      '--api-url',
      'http://127.0.0.1:9',
    ])
      .then(() => ({ stderr: 'exit 0' }))
      .catch((error: { stderr: string; code: number }) => ({ stderr: `${error.stderr}exit ${error.code}` }));

    expect(stderr).toContain('GATEWAY_UNREACHABLE');
    expect(stderr).toContain('exit 6');
    expect(stderr).toContain('UNDICI=false');
  });
});

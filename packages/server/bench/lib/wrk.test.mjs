import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWrkOutput, wrkAvailable, wrkClosedLoop, wrkScript } from './wrk.mjs';

const here = wrkAvailable();
if (!here) {
  if (process.env.CI === 'true') throw new Error('wrk is not on PATH, and CI=true forbids skipping the bench load generator tests (see .ci/run).');
  console.warn("\n[paygate] SKIPPED: the bench's wrk load generator against a live server — no wrk on PATH (apt-get install -y wrk).\n");
}

describe("the bench's wrk output", () => {
  const line = (o) =>
    `Running 1s test @ http://127.0.0.1:1/\nPAYGATE_WRK_RESULT ${JSON.stringify({ requests: 1000, duration_us: 2_000_000, connect_errors: 0, read_errors: 0, write_errors: 0, timeouts: 0, not_2xx_3xx: 0, p50_us: 1500, p99_us: 9000, cpu_s: 0.25, ...o })}\n`;

  it('gives what the Node client gives: requests done, errors, seconds, and wrk’s own CPU', () => {
    expect(parseWrkOutput(line({}))).toEqual({ done: 1000, errors: 0, firstError: undefined, seconds: 2, p50Ms: 1.5, p99Ms: 9, loadGeneratorCpuMs: 250 });
  });

  it('counts an answer outside 2xx/3xx as an error and not as done, and names each kind of failure', () => {
    const r = parseWrkOutput(line({ not_2xx_3xx: 40, timeouts: 2 }));
    expect(r.done).toBe(960);
    expect(r.errors).toBe(42);
    expect(r.firstError).toBe('40 not 2xx/3xx, 2 timeouts');
  });

  it('says so when wrk printed no result (a script error, a refused connection)', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n')).toThrow(/wrk printed no result:\nunable to connect/);
  });

  it('writes headers and body as Lua strings that any text survives', () => {
    const script = wrkScript({ method: 'POST', headers: { 'x-a': 'q"]]\\' }, body: '{"a":"é"}' });
    // Decimal escapes: a quote, `]]` or a backslash cannot end the string early.
    expect(script).toContain('wrk.headers["\\120\\45\\97"] = "\\113\\34\\93\\93\\92"');
    expect(script).toContain('wrk.body = "\\123\\34\\97\\34\\58\\34\\195\\169\\34\\125"');
  });
});

describe.skipIf(!here)('the bench’s wrk closed loop against a live server', () => {
  let server;
  afterEach(() => server?.close());

  /** A node:http server that records what each request carried, answering 201 (or 422 to every `fail`-th). */
  async function recorder({ fail } = {}) {
    const seen = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, key: req.headers['idempotency-key'], apiKey: req.headers['x-api-key'], body });
        res.writeHead(fail && seen.length % fail === 0 ? 422 : 201, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${server.address().port}/api/v1/orders`, seen };
  }

  it('sends the method, headers and body given, and counts what the server answered', async () => {
    const { url, seen } = await recorder();
    const r = await wrkClosedLoop(url, { connections: 4, seconds: 1, headers: { 'x-api-key': 'key_test_abc123' }, body: '{"amount":50000}' });
    expect(r.errors).toBe(0);
    // wrk counts only the requests answered before its clock ran out; the server may see a few more
    expect(r.done).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThanOrEqual(r.done);
    expect(seen.every((s) => s.method === 'POST' && s.url === '/api/v1/orders' && s.apiKey === 'key_test_abc123' && s.body === '{"amount":50000}')).toBe(true);
    expect(seen.every((s) => s.key === undefined)).toBe(true);
    expect(r.loadGeneratorCpuMs).toBeGreaterThan(0);
  });

  it('sends a fresh Idempotency-Key with every request when asked, next to the other headers', async () => {
    const { url, seen } = await recorder();
    await wrkClosedLoop(url, { connections: 4, seconds: 1, headers: { 'x-api-key': 'key_test_abc123' }, body: '{}', freshIdempotencyKey: true });
    const keys = seen.map((s) => s.key);
    expect(keys.every((k) => typeof k === 'string' && k.length > 0)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(seen.every((s) => s.apiKey === 'key_test_abc123')).toBe(true);
  });

  it('reports answers outside 2xx as errors', async () => {
    const { url, seen } = await recorder({ fail: 2 });
    const r = await wrkClosedLoop(url, { connections: 2, seconds: 1, body: '{}' });
    expect(r.errors).toBeGreaterThan(0);
    expect(r.firstError).toMatch(/not 2xx\/3xx/);
    expect(r.done + r.errors).toBeLessThanOrEqual(seen.length);
  });
});

import { execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDevGateway } from '../../../server/test/helpers/dev-gateway.js';
import { HAS_TMUX, TmuxSession } from '../tmux-session.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js');
const SEED = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789', 'content-type': 'application/json' };
const HOURS_3 = 3 * 3600;

type Delivery = { id: string; status: string; attempts: number; attempt_log: unknown[] };

describe.skipIf(!HAS_TMUX)('pg-cli dashboard (the built bin) against a real gateway: under tmux, and piped', () => {
  let gateway: Awaited<ReturnType<typeof startDevGateway>>;
  let receiver: Server;
  let receiverUrl: string;
  /** What the local receiver answers: 500 until the test says otherwise. */
  let answer = 500;
  let session: TmuxSession | undefined;

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${gateway.origin}${path}`, { method, headers: SEED, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    expect(response.ok, `${method} ${path} answered ${response.status}`).toBe(true);
    return (await response.json()) as T;
  };
  const pay = async () => {
    const order = await api<{ id: string }>('POST', '/api/v1/orders', { amount: 50000, currency: 'INR' });
    await api('POST', '/api/v1/payments', { order_id: order.id, method: 'upi', vpa: 'success@paygate' });
  };
  const deliveries = async () => (await api<{ data: Delivery[] }>('GET', '/api/v1/webhooks?limit=10')).data;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      response.statusCode = answer;
      response.end(answer === 200 ? 'ok' : '{"error":"receiver down"}');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    gateway = await startDevGateway(BIN);
  }, 120_000);

  afterAll(async () => {
    await session?.kill();
    await gateway?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('↓ selects a failed delivery, r retries it and the new attempt shows, q gives back a clean shell', async () => {
    // Given a delivery that failed for good: the receiver answered 500 five times (the test clock walks the schedule)
    await api('PUT', '/api/v1/webhooks/config', { webhook_url: receiverUrl, events: ['payment.success'] });
    await pay();
    let failed: Delivery | undefined;
    for (let attempts = 1; attempts <= 5; attempts += 1) {
      await vi.waitFor(
        async () => {
          failed = (await deliveries())[0];
          expect(failed?.attempts).toBe(attempts);
        },
        { timeout: 20_000, interval: 100 },
      );
      if (attempts < 5) await api('POST', '/api/v1/test/clock/advance', { seconds: HOURS_3 });
    }
    await vi.waitFor(async () => expect((await deliveries())[0]?.status).toBe('failed'), { timeout: 10_000 });
    // And a newer delivery that succeeded, above it in the list
    answer = 200;
    await pay();
    await vi.waitFor(async () => expect((await deliveries()).map((d) => d.status)).toEqual(['success', 'failed']), { timeout: 20_000 });

    // When the dashboard runs in a terminal
    session = await TmuxSession.start({ columns: 140, rows: 42 });
    await session.type(`${process.execPath} ${BIN} dashboard --api-url ${gateway.origin}`);
    const first = await session.waitForScreen((s) => expect(s).toMatch(/Webhook deliveries \(2\)/), 60_000);
    expect(first).toContain(`Paygate  ${gateway.origin}  ·  test mode  ·  worker running`);
    expect(first).toMatch(/Queue {2}pending \d+ {2}processing \d+ {2}completed \d+ {2}failed \d+/);

    // And ↓ selects the failed delivery: its five attempts with status code, latency and response, and its payload
    await session.press('Down');
    const selected = await session.waitForScreen((s) => expect(s).toContain(`Delivery ${failed!.id} · payment.success · failed after 5 attempts`));
    expect(selected).toMatch(/ {2}5 \d\d:\d\d:\d\d 500 +\d+ ms \{"error":"receiver down"\}/);
    expect(selected).toContain('"event": "payment.success"');

    // And r retries it: the receiver now answers 200, and the sixth attempt shows
    await session.press('r');
    const retried = await session.waitForScreen((s) => expect(s).toContain(`Delivery ${failed!.id} · payment.success · success after 6 attempts`), 30_000);
    expect(retried).toMatch(/ {2}6 \d\d:\d\d:\d\d 200 +\d+ ms ok/);
    expect((await api<Delivery>('GET', `/api/v1/webhooks/${failed!.id}`)).attempt_log).toHaveLength(6);

    // Then q leaves the dashboard and the shell is back as it was, prompt last
    await session.press('q');
    const after = await session.waitForScreen((s) => expect(s.trimEnd().split('\n').at(-1)).toBe('$'));
    expect(after).not.toContain('╭');
    expect(after).toContain('dashboard --api-url');
  }, 240_000);

  it('when stdout is a pipe, prints one plain line per event and delivery attempt, and stops on SIGINT', async () => {
    // Given the dashboard with its output piped
    const child = spawn(process.execPath, [BIN, 'dashboard', '--api-url', gateway.origin], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await vi.waitFor(() => expect(err).toContain(`Watching ${gateway.origin} (test mode)`), { timeout: 30_000 });
      // Once the stream is up (the first queue line follows the first poll), a payment happens
      await vi.waitFor(() => expect(out).toMatch(/queue pending/), { timeout: 30_000 });
      await pay();
      // Then its events and its delivery show as plain lines, no escape codes
      await vi.waitFor(() => expect(out).toMatch(/payment\.success pay_\w+ ₹500\.00 success upi/), { timeout: 30_000 });
      await vi.waitFor(() => expect(out).toMatch(/delivery whd_\w+ payment\.success success attempt 1 → 200 \d+ ms ok/), { timeout: 30_000 });
      expect(out).not.toContain('\u001B[');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 120_000);

  it('at launch, an unreachable gateway and a wrong secret are one line each with the documented exit code', async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = (args: string[]) =>
      new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(process.execPath, [BIN, 'dashboard', ...args], (error, _stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code) : 0, stderr }),
        ),
      );
    const [unreachable, refused] = await Promise.all([
      run(['--api-url', deadUrl]),
      run(['--api-url', gateway.origin, '--api-key', 'key_test_abc123', '--api-secret', 'wrong']),
    ]);
    expect(unreachable.code).toBe(6);
    expect(unreachable.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^GATEWAY_UNREACHABLE: The gateway at .* did not answer \(ECONNREFUSED\)/),
    ]);
    expect(refused.code).toBe(3);
    expect(refused.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^AUTHENTICATION_ERROR: /)]);
  });
});

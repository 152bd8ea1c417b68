import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../server/test/helpers/receiver.js';
import { newcomerEnv, startDevGateway } from '../../server/test/helpers/dev-gateway.js';

// The client commands end to end: the built bin/run.js (as `npx pg-cli` runs it) against a real
// `pg-cli dev --test-mode` this test starts; --json answers checked against the REST API itself.
const BIN = join(import.meta.dirname, '..', 'bin', 'run.js');
const SEED = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789' };

type Run = { code: number; stdout: string; stderr: string };

describe('client commands through the binary', () => {
  let gateway: Awaited<ReturnType<typeof startDevGateway>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const configHome = mkdtempSync(join(tmpdir(), 'pg-cli-config-'));

  /** pg-cli with a newcomer's environment, the test gateway as PAYGATE_API_URL and a private config folder. */
  const pgCli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<Run>((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        { env: { ...newcomerEnv(), PAYGATE_API_URL: gateway.origin, XDG_CONFIG_HOME: configHome, ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
      );
    });
  // `any`: parsed JSON answers, checked field by field below.
  const json = async (args: string[], env?: Record<string, string>): Promise<any> => {
    const run = await pgCli([...args, '--json'], env);
    if (run.code !== 0) throw new Error(`pg-cli ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    return JSON.parse(run.stdout);
  };
  // `any`: parsed JSON answers, checked field by field below.
  const rest = async (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<any> => {
    const response = await fetch(`${gateway.origin}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.headers ?? SEED), ...(init.body ? { 'content-type': 'application/json' } : {}) },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    return response.json();
  };

  beforeAll(async () => {
    [gateway, receiver] = await Promise.all([startDevGateway(BIN), startReceiver()]);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await receiver?.close();
    rmSync(configHome, { recursive: true, force: true });
  });

  it('create → pay --wait → partial refund → webhooks list, each --json the REST object', async () => {
    const config = await json(['webhooks', 'config', '--url', receiver.url]);
    expect(config).toEqual(await rest('/api/v1/webhooks/config'));

    const order = await json(['orders', 'create', '--amount', '50000', '--receipt', 'receipt_1', '--notes', 'customer=42']);
    expect(order).toEqual(await rest(`/api/v1/orders/${order.id}`));
    expect(order).toMatchObject({ amount: 50000, currency: 'INR', receipt: 'receipt_1', notes: { customer: '42' } });

    const payment = await json(['payments', 'create', '--order', order.id, '--card', '4111 1111 1111 1111', '--expiry', '12/30', '--wait']);
    expect(payment).toMatchObject({ status: 'success', method: 'card', card_last4: '1111', order_id: order.id });
    expect(payment).toEqual(await rest(`/api/v1/payments/${payment.id}`));

    const refund = await json(['refunds', 'create', '--payment', payment.id, '--amount', '10000', '--reason', 'damaged']);
    expect(refund).toMatchObject({ entity: 'refund', payment_id: payment.id, amount: 10000, reason: 'damaged' });
    expect(await json(['payments', 'get', payment.id])).toMatchObject({ amount_refunded: 10000, refundable_amount: 40000 });

    // The deliveries of the payment and the refund, as the REST log shows them.
    let deliveries: { data: Array<{ event: string; status: string }> } = { data: [] };
    await expect
      .poll(
        async () =>
          (deliveries = await json(['webhooks', 'list', '--limit', '20'])).data
            .filter((d: { status: string }) => d.status === 'success')
            .map((d: { event: string }) => d.event)
            .sort(),
        {
          timeout: 20_000,
        },
      )
      .toEqual(expect.arrayContaining(['payment.success', 'refund.processed']));
    expect(deliveries).toEqual(await rest('/api/v1/webhooks?limit=20'));
    const successes = await json(['webhooks', 'list', '--event', 'payment.success', '--status', 'success']);
    expect(successes.data.map((d: { event: string }) => d.event)).toEqual(['payment.success']);
    expect(receiver.received.map((r) => r.event)).toEqual(expect.arrayContaining(['payment.success', 'refund.processed']));
  });

  it('human output is a readable block; test-mode commands move the clock and reset', async () => {
    const shown = await pgCli(['orders', 'create', '--amount', '1999', '--currency', 'USD']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Order\s+order_\w{16}$/m);
    expect(shown.stdout).toMatch(/^Amount\s+.*19\.99.*\(1999\)$/m);

    expect(await json(['clock', 'advance', '2h'])).toMatchObject({ offset_seconds: 7200 });
    expect((await json(['clock', 'show'])).offset_seconds).toBe(7200);
    expect(await json(['reset'])).toMatchObject({ reset: true });
    expect(await json(['orders', 'list'])).toMatchObject({ data: [], total: 0 });
  });

  it('an unreachable gateway, a wrong secret, an unknown id and a bad flag: one stderr line each, the documented exit code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const cases: Array<[args: string[], exit: number, line: RegExp]> = [
      [
        ['orders', 'list', '--api-url', deadUrl],
        6,
        /^GATEWAY_UNREACHABLE: The gateway at http:\/\/127\.0\.0\.1:\d+ did not answer \(ECONNREFUSED\)\. Start one with pg-cli dev/,
      ],
      [['orders', 'list', '--api-key', 'key_test_abc123', '--api-secret', 'wrong'], 3, /^AUTHENTICATION_ERROR: .+\. Check --api-key and --api-secret/],
      [['payments', 'get', 'pay_0000000000000000', '--json'], 4, /^NOT_FOUND_ERROR: .*pay_0000000000000000.* \(id\)\. Check the id/],
      [['orders', 'create', '--amount', 'lots'], 2, /^USAGE_ERROR: .*Expected an integer.*lots.*\. Run pg-cli orders create --help/],
      [['refunds', 'create', '--payment', 'pay_0000000000000000', '--amount', '-1'], 2, /^USAGE_ERROR: /],
    ];
    const runs = await Promise.all(cases.map(([args]) => pgCli(args)));
    runs.forEach((run, i) => {
      const [args, exit, line] = cases[i]!;
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: exit, stdout: '' });
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(line);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('login saves a 0600 profile that later commands use; a wrong secret saves nothing', async () => {
    const tenant = await rest('/api/v1/test/merchants', { method: 'POST', body: { name: 'Login test', email: 'login@example.com' } });
    const wrong = await pgCli(['login', '--api-key', tenant.api_key, '--api-secret', 'secret_wrong']);
    expect(wrong.code).toBe(3);
    const profile = join(configHome, 'paygate', 'profile.json');
    expect(() => statSync(profile)).toThrow();

    const saved = await json(['login', '--api-key', tenant.api_key, '--api-secret', tenant.api_secret]);
    expect(saved).toEqual({ api_url: gateway.origin, api_key: tenant.api_key, profile });
    expect(statSync(profile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(profile, 'utf8'))).toMatchObject({ api_key: tenant.api_key, api_secret: tenant.api_secret });

    // Without flags, commands act as the logged-in merchant: its order is not the seed's.
    const order = await json(['orders', 'create', '--amount', '700']);
    const asTenant = await rest(`/api/v1/orders/${order.id}`, { headers: { 'x-api-key': tenant.api_key, 'x-api-secret': tenant.api_secret } });
    expect(asTenant).toEqual(order);
    expect(await rest(`/api/v1/orders/${order.id}`)).toMatchObject({ error: { code: 'NOT_FOUND_ERROR' } });
    // Flags still win over the profile.
    expect(
      (await json(['orders', 'list', '--api-key', SEED['x-api-key'], '--api-secret', SEED['x-api-secret']])).data.map((o: { id: string }) => o.id),
    ).not.toContain(order.id);
  });

  it('every command has examples in its --help, and the manifest lists them all', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { examples?: string[] }>;
    };
    const ids = Object.keys(manifest.commands);
    expect(ids).toEqual(
      expect.arrayContaining([
        'orders:create',
        'payments:create',
        'refunds:create',
        'webhooks:list',
        'webhooks:secret:rotate',
        'clock:advance',
        'reset',
        'login',
      ]),
    );
    expect(ids.filter((id) => (manifest.commands[id]!.examples ?? []).length === 0)).toEqual([]);
  });
});

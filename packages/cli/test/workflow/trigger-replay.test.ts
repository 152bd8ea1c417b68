import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, SEED, spawnCli, startDevGateway, startVerifyingReceiver, type CliProcess } from './harness.js';

// The built bin against a real `pg-cli dev --test-mode` the test starts.
describe('pg-cli trigger and webhooks replay', () => {
  let gateway: Awaited<ReturnType<typeof startDevGateway>>;
  let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;
  let endpoint: Awaited<ReturnType<typeof startVerifyingReceiver>>;
  let endpointHealthy = true;
  let listen: CliProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    gateway = await startDevGateway();
    env = { PAYGATE_API_URL: gateway.url, XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'pg-cli-trigger-data-')) };
    // listen forwards to `receiver`; the gateway itself delivers to `endpoint` (webhook.test needs a URL)
    receiver = await startVerifyingReceiver(SEED.webhookSecret);
    endpoint = await startVerifyingReceiver(SEED.webhookSecret, () => (endpointHealthy ? 200 : 500));
    expect((await gateway.api('PUT', '/api/v1/webhooks/config', { webhook_url: endpoint.url })).status).toBe(200);
    listen = spawnCli(['listen', '--forward-to', receiver.url], env);
    await listen.waitForLine(/Ready/);
  }, 90_000);
  afterAll(async () => {
    await listen?.stop('SIGKILL');
    await gateway?.stop();
    await receiver?.close();
    await endpoint?.close();
  });

  // Side by side: each trigger is its own flow (and the test's time is mostly process start-up).
  it.concurrent.for(['payment.success', 'payment.failed', 'refund.processed', 'refund.failed', 'webhook.test'])(
    'trigger %s prints the objects and the event id (--json), and the event reaches the listening receiver',
    { timeout: 60_000 },
    async (event, { expect }) => {
      const run = await runCli(['trigger', event, '--json', '--amount', '1234'], env);
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as { event: string; event_id: string; payment?: { status: string; amount: number }; refund?: { status: string } };
      expect(result.event).toBe(event);
      expect(result.event_id).toMatch(/^evt_[0-9A-Za-z]{16}$/);
      if (event.startsWith('payment.')) expect(result.payment).toMatchObject({ status: event === 'payment.failed' ? 'failed' : 'success', amount: 1234 });
      if (event.startsWith('refund.')) expect(result.refund!.status).toBe(event === 'refund.failed' ? 'failed' : 'processed');

      await expect.poll(() => receiver.of(result.event_id).map((r) => [r.event, r.status]), { timeout: 20_000 }).toEqual([[event, 200]]);
      await expect.poll(() => listen!.stdout.some((l) => l.includes(result.event_id) && l.includes('[200]'))).toBe(true);
    },
  );

  it('listen --print-secret prints the secret forwards are signed with, and exits', async () => {
    const plain = await runCli(['listen', '--print-secret'], env);
    expect([plain.code, plain.stdout.trim()]).toEqual([0, SEED.webhookSecret]);
    const json = await runCli(['listen', '--print-secret', '--json'], env);
    expect([json.code, JSON.parse(json.stdout)]).toEqual([0, { webhook_secret: SEED.webhookSecret }]);
  });

  it('bad input gets one line and exit code 2: a --forward-to that is no URL, an unknown event, a big replay without --yes', async () => {
    for (const [args, names] of [
      [['listen', '--forward-to', 'localhost:4000'], 'forward-to'],
      [['listen', '--forward-to', receiver.url, '--events', 'payment.succes'], 'events'],
      [['trigger', 'payment.succeeded'], 'payment.success'],
      // More than 10 delivered deliveries exist by now (the triggers above): replaying them asks first
      [['webhooks', 'replay', '--status', 'success'], '--yes'],
    ] as const) {
      const run = await runCli(args, env);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^USAGE_ERROR: /);
      expect(run.stderr).toContain(names);
      expect(run.stdout).toBe('');
    }
  }, 60_000);

  it('clock advance 2h walks a failing delivery to failed; webhooks replay --status failed --yes delivers it again', async () => {
    // Given an endpoint that fails, and one payment.success delivery to it
    endpointHealthy = false;
    expect((await gateway.api('PUT', '/api/v1/webhooks/config', { webhook_url: endpoint.url, events: ['payment.success'] })).status).toBe(200);
    const trigger = JSON.parse((await runCli(['trigger', 'payment.success', '--json'], env)).stdout) as { event_id: string };
    const deliveryOf = async () =>
      ((await gateway.api('GET', '/api/v1/webhooks?limit=100')).body.data as Array<{ id: string; event_id: string; status: string; attempts: number }>).find(
        (d) => d.event_id === trigger.event_id,
      );
    await expect.poll(async () => (await deliveryOf())?.attempts, { timeout: 20_000 }).toBe(1);

    // When the clock is advanced (each advance fires the retry that came due)
    await expect
      .poll(
        async () => {
          const advanced = await runCli(['clock', 'advance', '2h'], env);
          expect(advanced.code, advanced.stderr).toBe(0);
          return (await deliveryOf())?.status;
        },
        { timeout: 60_000, interval: 200 },
      )
      .toBe('failed');
    expect((await deliveryOf())!.attempts).toBe(5);

    // Then replay re-delivers it to the endpoint, now healthy, and says so in one summary line
    endpointHealthy = true;
    const replay = await runCli(['webhooks', 'replay', '--status', 'failed', '--yes'], env);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain('replayed 1, skipped 0, failed 0');
    await expect.poll(async () => (await deliveryOf())?.status, { timeout: 20_000 }).toBe('success');
    expect(endpoint.of(trigger.event_id).map((r) => r.status)).toEqual([500, 500, 500, 500, 500, 200]);
  }, 120_000);
});

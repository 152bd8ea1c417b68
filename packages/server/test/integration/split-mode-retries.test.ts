import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessGroup, apiClient, freePort, hasBinary, startRedisServer } from '../helpers/processes.js';
import { startHangingReceiver, startReceiver } from '../helpers/receiver.js';
import { createTemporaryDatabase, redisTestUrl, serviceAvailable } from '../helpers/services.js';

// Built binaries (npm run build first): one `pg-cli server` and two `pg-cli worker` processes on
// PostgreSQL and a Redis of their own, with the production retry schedule driven by the clock.
const ready = (await serviceAvailable('postgres')) && (await serviceAvailable('redis'));
const SEED_HEADERS = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789' };
const TIMEOUT_MS = 8_000;

type Delivery = { id: string; status: string; attempt_log: Array<{ status_code: number | null }> };

describe.skipIf(!ready)('webhook retries in split mode (built server and workers, PostgreSQL, Redis)', () => {
  const group = new ProcessGroup();
  const closers: Array<() => Promise<unknown>> = [];
  let baseUrl: string;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    let redisUrl = redisTestUrl('splitModeRetries');
    if (hasBinary('redis-server')) {
      const port = await freePort();
      await startRedisServer(group, port);
      redisUrl = `redis://127.0.0.1:${port}/0`;
    }
    const temp = await createTemporaryDatabase();
    closers.push(() => temp.drop());
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !k.startsWith('PAYGATE_') && !k.startsWith('TEST_') && !k.startsWith('WEBHOOK_') && !['PORT', 'HOST', 'NODE_ENV', 'LOG_LEVEL'].includes(k),
      ),
    );
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      DATABASE_URL: temp.url,
      REDIS_URL: redisUrl,
      TEST_MODE: 'true',
      TEST_PROCESSING_DELAY: '0',
      WEBHOOK_RETRY_INTERVALS_TEST: 'false', // 1 min, 5 min, ...: only a clock advance makes them due
      PAYGATE_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      PAYGATE_RATE_LIMIT_PER_MINUTE: '0',
      PAYGATE_RELAY_INTERVAL_MS: '100',
      // Long enough that the relay's rescue of a job that looks lost can never be what fires a retry here.
      PAYGATE_RELAY_STALE_MS: '300000',
      LOG_LEVEL: 'warn',
    };
    const server = await group.server(env, await freePort());
    await group.worker(env, 'worker-1');
    await group.worker(env, 'worker-2');
    baseUrl = server.url;
    api = apiClient(baseUrl, SEED_HEADERS);
  }, 60_000);
  afterAll(async () => {
    await group.killAll();
    for (const close of closers.reverse()) await close();
  });

  it("fires a failed delivery's next attempt as soon as the clock makes it due, while other merchants' deliveries hang or fail", async () => {
    // Given merchant B (the seed), whose endpoint fails twice and then answers; merchant A, whose
    // endpoint hangs; and merchant C, whose endpoint always fails
    const b = await startReceiver((n) => ({ status: n <= 2 ? 500 : 200 }));
    const a = await startHangingReceiver();
    const c = await startReceiver(() => ({ status: 500 }));
    closers.push(b.close, a.close, c.close);
    const merchant = async (name: string) => {
      const created = (await api('POST', '/api/v1/test/merchants', { name, email: `${name}@example.com` })).body;
      return apiClient(baseUrl, { 'x-api-key': created.api_key, 'x-api-secret': created.api_secret });
    };
    const [callA, callB, callC] = [await merchant('a'), api, await merchant('c')];
    for (const [call, url] of [
      [callA, a.url],
      [callB, b.url],
      [callC, c.url],
    ] as const) {
      expect((await call('PUT', '/api/v1/webhooks/config', { webhook_url: url, events: ['payment.success'] })).status).toBe(200);
    }
    const pay = async (call: typeof callA) => {
      const order = await call('POST', '/api/v1/orders', { amount: 1000, currency: 'INR' });
      expect((await call('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' })).status).toBe(201);
    };
    const logOf = async (call: typeof callA) => (await call('GET', '/api/v1/webhooks?limit=100')).body.data as Delivery[];
    const attemptsOf = async (call: typeof callA) => (await logOf(call)).map((d) => d.attempt_log.length);

    await Promise.all([pay(callA), pay(callA), pay(callA), pay(callC), pay(callC), pay(callC), pay(callB)]);
    // Every first attempt made and logged (A's once they timed out)
    await expect.poll(() => attemptsOf(callB), { timeout: 30_000, interval: 100 }).toEqual([1]);
    await expect.poll(() => attemptsOf(callC), { timeout: 30_000, interval: 100 }).toEqual([1, 1, 1]);
    await expect.poll(() => attemptsOf(callA), { timeout: 30_000, interval: 200 }).toEqual([1, 1, 1]);
    const abortedBefore = a.state.aborted;
    expect(abortedBefore).toBe(3);

    // When the clock reaches the second attempt of everyone's delivery at once
    expect((await api('POST', '/api/v1/test/clock/advance', { seconds: 61 })).status).toBe(200);
    // Then B's second attempt goes out and is logged at once, not after A's attempts time out,
    // and not after the relay's stale window (5 min here)
    await expect.poll(() => attemptsOf(callB), { timeout: TIMEOUT_MS * 3, interval: 50 }).toEqual([2]);
    expect(a.state.aborted, 'B waited for A').toBe(abortedBefore);

    // And the third, 5 minutes on the clock later, delivers it
    expect((await api('POST', '/api/v1/test/clock/advance', { seconds: 301 })).status).toBe(200);
    await expect.poll(async () => (await logOf(callB)).map((d) => d.status), { timeout: TIMEOUT_MS * 3, interval: 50 }).toEqual(['success']);
    expect(a.state.aborted, 'B waited for A').toBe(abortedBefore);
    expect(b.received).toHaveLength(3);
    const [delivered] = await logOf(callB);
    expect(delivered!.attempt_log.map((x) => x.status_code)).toEqual([500, 500, 200]);
    // C's deliveries failed on every one of those rounds too, each attempt logged
    await expect.poll(() => attemptsOf(callC), { timeout: TIMEOUT_MS * 3, interval: 100 }).toEqual([3, 3, 3]);
  }, 120_000);
});

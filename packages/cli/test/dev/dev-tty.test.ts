import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_TMUX, TmuxSession } from '../tmux-session.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js');
const SEED = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789', 'content-type': 'application/json' };

let session: TmuxSession | undefined;
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

describe.skipIf(!HAS_TMUX)('pg-cli dev on a terminal (tmux)', () => {
  it('greets with a banner, logs one readable line per request and settlement, and Ctrl-C gives the shell back', async () => {
    // Given a terminal, and a shell with none of the gateway's variables set
    session = await TmuxSession.start({ columns: 130, rows: 45 });
    await session.type(`env -u LOG_LEVEL -u PAYGATE_API_URL -u TEST_MODE ${process.execPath} ${BIN} dev --test-mode --port 0 --data-dir memory`);

    // When it is ready, then the banner shows where everything is and what to do next
    const banner = await session.waitForScreen((s) => expect(s).toMatch(/Try next/), 90_000);
    const url = /Paygate ready at (http:\/\/127\.0\.0\.1:\d+) in [\d.]+ s \(test mode, data in memory\)/.exec(banner)?.[1];
    expect(url).toBeDefined();
    for (const path of ['/api/v1', '/docs', '/dashboard', '/checkout?order_id=<order id>']) expect(banner).toContain(`${url}${path}`);
    expect(banner).toMatch(/API key\s+key_test_abc123\s+API secret secret_test_xyz789/);
    expect(banner).toContain('whsec_test_abc123');
    expect(banner).toContain(`pg-cli trigger payment.success --api-url ${url}`);

    // And requests and settlements are one readable line each, not JSON
    const order = (await (
      await fetch(`${url}/api/v1/orders`, { method: 'POST', headers: SEED, body: JSON.stringify({ amount: 50000, currency: 'INR' }) })
    ).json()) as {
      id: string;
    };
    const payment = (await (
      await fetch(`${url}/api/v1/payments`, {
        method: 'POST',
        headers: SEED,
        body: JSON.stringify({ order_id: order.id, method: 'upi', vpa: 'success@paygate' }),
      })
    ).json()) as { id: string };
    const logged = await session.waitForScreen((s) => expect(s).toContain(`payment ${payment.id} success ₹500.00 upi`));
    expect(logged).toMatch(/\d\d:\d\d:\d\d POST {3}\/api\/v1\/orders 201 \d+ ms/);
    expect(logged).toMatch(/\d\d:\d\d:\d\d POST {3}\/api\/v1\/payments 201 \d+ ms/);
    expect(logged).not.toContain('{"level"');

    // When Ctrl-C is pressed, then it stops and the shell prompt is back
    await session.press('C-c');
    await session.waitForScreen((s) => expect(s.trimEnd().split('\n').at(-1)).toBe('$'));
  }, 150_000);
});

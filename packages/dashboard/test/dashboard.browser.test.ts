import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '@paygate/webhook-verify';
import { CHROMIUM, haveBrowser, launchChromium } from '../../server/test/helpers/chromium.js';
import { CLI_BIN, freePort, ProcessGroup } from '../../server/test/helpers/processes.js';

// The merchant dashboard in Debian's Chromium against a real `pg-cli dev --test-mode` (the built
// CLI, as a user runs it): one gateway, one browser, one signed-in tab, steps in order.

if (!haveBrowser) console.warn(`[paygate] SKIPPED: dashboard browser tests — ${CHROMIUM} not found (apt-get install -y chromium)`);

const SEED = { key: 'key_test_abc123', secret: 'secret_test_xyz789' };
const CREDENTIALS_KEY = 'paygate.dashboard.credentials';
/** Every data-test-id DESIGN.md lists, by the page that must show it. */
const DESIGN_TEST_IDS = {
  webhooks: [
    'webhook-config-form',
    'webhook-url-input',
    'webhook-secret',
    'copy-secret-button',
    'regenerate-secret-button',
    'save-webhook-button',
    'test-webhook-button',
    'webhook-logs-table',
    'webhook-log-item',
    'webhook-event',
    'webhook-status',
    'webhook-attempts',
    'webhook-last-attempt',
    'webhook-response-code',
    'retry-webhook-button',
  ],
  docs: [
    'api-docs',
    'section-create-order',
    'section-sdk-integration',
    'section-webhook-verification',
    'code-snippet-create-order',
    'code-snippet-sdk',
    'code-snippet-webhook',
  ],
} as const;

/** `PAYGATE_UPDATE_SCREENSHOTS=1` writes the committed set (docs/screenshots/dashboard); otherwise a temporary folder. */
const REPO_SHOTS = fileURLToPath(new URL('../../../docs/screenshots/dashboard/', import.meta.url));
const SHOTS = process.env['PAYGATE_UPDATE_SCREENSHOTS'] === '1' ? REPO_SHOTS : mkdtempSync(join(tmpdir(), 'paygate-dashboard-shots-'));

type Delivery = { event: string; id: string; verified: boolean; secretUsed: string | undefined };

/**
 * A merchant's webhook endpoint: verifies every delivery with @paygate/webhook-verify against the
 * secrets it is told to trust, and answers `status` (a test turns it to 500 to make deliveries fail).
 */
async function startVerifyingReceiver() {
  const state = { status: 200, secrets: [] as string[], deliveries: [] as Delivery[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      void (async () => {
        let delivery: Delivery = { event: '', id: '', verified: false, secretUsed: undefined };
        for (const secret of state.secrets) {
          try {
            const event = await verifyWebhook(body, req.headers, secret);
            delivery = { event: event.event, id: event.id, verified: true, secretUsed: secret };
            break;
          } catch {
            // try the next secret
          }
        }
        state.deliveries.push(delivery);
        res.writeHead(delivery.verified ? state.status : 401, { 'content-type': 'text/plain' });
        res.end(delivery.verified ? (state.status < 300 ? 'OK verified' : 'receiver is down for maintenance') : 'invalid signature');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits for a condition the page reaches on its own (a delivery, a poll of the log): vitest's default of 1 s is too short for those. */
const eventually = <T>(read: () => T | Promise<T>, timeout = 15_000) => expect.poll(read, { timeout, interval: 100 });

describe.skipIf(!haveBrowser)('merchant dashboard in a browser', () => {
  const group = new ProcessGroup();
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  const api = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { 'X-Api-Key': SEED.key, 'X-Api-Secret': SEED.secret },
  ) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const payOrder = async (amount: number, headers?: Record<string, string>) => {
    const order = await api('POST', '/api/v1/orders', { amount, currency: 'INR', receipt: `dash-${amount}` }, headers);
    expect(order.status).toBe(201);
    const payment = await api('POST', '/api/v1/payments', { order_id: order.body.id, method: 'upi', vpa: 'success@paygate' }, headers);
    expect(payment.status).toBe(201);
    return payment.body as { id: string; order_id: string };
  };
  const byTestId = (id: string) => page.locator(`[data-test-id="${id}"]`);
  const shoot = async (name: string) => {
    await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
  };
  /** The same page in a phone-sized tab: it must not scroll sideways at 375 px. */
  const shootMobile = async (name: string, path: string, ready: string) => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    await phone.goto(`${base}${path}`);
    await phone.locator(`[data-test-id="${ready}"]`).first().waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: join(SHOTS, `${name}-mobile.png`), fullPage: true });
    await phone.close();
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await group.start('pg-cli dev', process.execPath, [CLI_BIN, 'dev', '--test-mode', '--port', String(port), '--data-dir', 'memory'], {
      env: { ...process.env, PAYGATE_LOG_LEVEL: 'warn' },
      ready: /ready at/,
      timeoutMs: 60_000,
    });
    receiver = await startVerifyingReceiver();
    receiver.state.secrets = ['whsec_test_abc123'];
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: 'Asia/Kolkata', locale: 'en-IN' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    context.on('console', (message) => {
      if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    context.on('weberror', (error) => pageErrors.push(String(error.error())));
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await group.killAll();
    if (SHOTS !== REPO_SHOTS) rmSync(SHOTS, { recursive: true, force: true });
  });

  it('opens signed in as the seed merchant in test mode, with the test-mode strip', async () => {
    await page.goto(`${base}/dashboard`);
    await eventually(() => page.locator('.account .key').textContent()).toBe(SEED.key);
    await byTestId('test-mode-strip').waitFor();
    const response = await page.request.get(`${base}/dashboard`);
    expect(response.headers()['content-security-policy']).toContain("script-src 'self'");
    // No served file holds the secret: the page and its scripts are the same for everyone.
    const html = await response.text();
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!);
    for (const src of scripts) expect(await (await page.request.get(`${base}${src}`)).text()).not.toContain(SEED.secret);
  });

  it('refuses a wrong secret, stores nothing, then signs in with the right one', async () => {
    // Given a signed-out tab
    await byTestId('sign-out-button').click();
    await byTestId('sign-in-form').waitFor();
    expect(await page.evaluate((k) => sessionStorage.getItem(k), CREDENTIALS_KEY)).toBeNull();
    // When a wrong secret is entered
    await page.getByLabel('API key').fill(SEED.key);
    await page.getByLabel('API secret').fill('secret_wrong');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Then an error says so and nothing is stored
    await eventually(() => byTestId('sign-in-error').textContent()).toContain('do not match');
    expect(await page.evaluate((k) => sessionStorage.getItem(k), CREDENTIALS_KEY)).toBeNull();
    await shoot('sign-in');
    // And a reload stays signed out (signing out sticks for the tab even in test mode)
    await page.reload();
    await byTestId('sign-in-form').waitFor();
    // When the right pair is entered
    await page.getByLabel('API key').fill(SEED.key);
    await page.getByLabel('API secret').fill(SEED.secret);
    await page.keyboard.press('Enter');
    // Then the overview shows, and the pair is in this tab's session storage only
    await byTestId('overview').waitFor();
    expect(JSON.parse((await page.evaluate((k) => sessionStorage.getItem(k), CREDENTIALS_KEY))!)).toEqual({ apiKey: SEED.key, apiSecret: SEED.secret });
    expect(await page.evaluate(() => localStorage.length + document.cookie.length)).toBe(0);
  });

  let paymentId: string;

  it('shows a payment made through the API on the overview without a reload', async () => {
    await byTestId('live-indicator').filter({ hasText: 'Live' }).waitFor();
    await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
    const before = Number(await byTestId('payments-today').textContent());
    // (Its webhooks go to the receiver, so the payment's page has deliveries to show; the
    // webhooks page saves the plain URL later, through the form.)
    expect((await api('PUT', '/api/v1/webhooks/config', { webhook_url: `${receiver.url}?set-by=api` })).status).toBe(200);
    // When a payment is made through the API
    const payment = await payOrder(50000);
    paymentId = payment.id;
    // Then its events appear in the latest events, and today's figures count it, in the same page
    await page.locator('[data-test-id="event-item"]', { hasText: paymentId }).first().waitFor();
    await eventually(async () => Number(await byTestId('payments-today').textContent())).toBe(before + 1);
    await page.locator('[data-test-id="event-item"]', { hasText: 'payment.success' }).first().waitFor();
    await eventually(() => byTestId('amount-collected').textContent()).toContain('500.00');
    expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
    await byTestId('worker-status').filter({ hasText: 'running' }).waitFor();
    await shoot('overview');
    await shootMobile('overview', '/dashboard', 'event-item');
  });

  it('lists and filters payments, then opens one and refunds part of it', async () => {
    await payOrder(12345); // a second payment, for the list
    await page.getByRole('link', { name: 'Payments' }).click();
    await eventually(() => page.locator('[data-test-id="payment-row"]').count()).toBe(2);
    await byTestId('filter-method').selectOption('card');
    await byTestId('payments-empty').waitFor();
    await byTestId('filter-method').selectOption('upi');
    await eventually(() => page.locator('[data-test-id="payment-row"]').count()).toBe(2);
    await shoot('payments');
    await shootMobile('payments', '/dashboard/payments', 'payment-row');
    // When the payment is opened from its row
    await page.getByRole('link', { name: paymentId }).click();
    await byTestId('payment-status').filter({ hasText: 'success' }).waitFor();
    await eventually(() => byTestId('refundable-amount').textContent()).toBe('₹500.00');
    expect(await byTestId('payment-order').textContent()).toContain('dash-50000');
    // And part of it is refunded
    await byTestId('refund-amount-input').fill('120.50');
    await byTestId('refund-button').click();
    // Then the refundable amount drops and the timeline and deliveries show the refund
    await eventually(() => byTestId('refund-message').textContent()).toContain('₹120.50');
    await eventually(() => byTestId('refundable-amount').textContent()).toBe('₹379.50');
    await page.locator('[data-test-id="timeline-event"]', { hasText: 'refund.processed' }).waitFor();
    const timeline = await page.locator('[data-test-id="timeline-event"] .event-name').allTextContents();
    expect(timeline).toEqual(['payment.created', 'payment.pending', 'payment.success', 'refund.created', 'refund.processed']);
    // And every event's webhook delivery, delivered to the receiver
    await eventually(() => page.locator('[data-test-id="webhook-log-item"][data-status="success"]').count()).toBe(5);
    // A refund over what is left is refused with the gateway's words
    await byTestId('refund-amount-input').fill('400');
    await byTestId('refund-button').click();
    await eventually(() => byTestId('refund-message').textContent()).toContain('At most ₹379.50');
    await shoot('payment');
    await shootMobile('payment', `/dashboard/payments/${paymentId}`, 'payment-timeline');
  });

  it("says another merchant's payment is not found", async () => {
    const b = await api('POST', '/api/v1/test/merchants', { name: 'Other shop', email: 'other@example.com' }, {});
    const theirs = await payOrder(777, { 'X-Api-Key': b.body.api_key, 'X-Api-Secret': b.body.api_secret });
    await page.goto(`${base}/dashboard/payments/${theirs.id}`);
    await byTestId('payment-not-found').waitFor();
    expect(await page.locator('main').textContent()).not.toContain('7.77');
  });

  it('saves the webhook URL, sends a test webhook the receiver verifies, and retries a failed delivery from its row', async () => {
    await page.goto(`${base}/dashboard/webhooks`);
    await eventually(() => byTestId('webhook-url-input').inputValue()).toBe(`${receiver.url}?set-by=api`);
    // When the receiver's URL is saved
    await byTestId('webhook-url-input').fill(receiver.url);
    await byTestId('save-webhook-button').click();
    await eventually(() => byTestId('webhook-config-message').textContent()).toContain('Saved');
    expect((await api('GET', '/api/v1/webhooks/config')).body.webhook_url).toBe(receiver.url);
    // And a test webhook is sent
    await byTestId('test-webhook-button').click();
    // Then the receiver verified it, and the log shows it delivered with 200
    await eventually(() => receiver.state.deliveries.filter((d) => d.event === 'webhook.test' && d.verified).length).toBe(1);
    const delivered = page.locator('[data-test-id="webhook-log-item"][data-status="success"]', { hasText: 'webhook.test' });
    await delivered.waitFor();
    expect(await delivered.locator('[data-test-id="webhook-response-code"]').textContent()).toBe('200');
    expect(await delivered.locator('[data-test-id="webhook-attempts"]').textContent()).toBe('1');

    // Given a receiver that fails
    receiver.state.status = 500;
    await byTestId('test-webhook-button').click();
    const failing = page.locator('[data-test-id="webhook-log-item"]', { hasText: 'webhook.test' }).first();
    await eventually(() => failing.locator('[data-test-id="webhook-response-code"]').textContent()).toBe('500');
    // When the test clock runs the retry schedule out (four more attempts), from the strip
    for (let attempt = 2; attempt <= 5; attempt++) {
      await page.getByLabel('Advance clock by').selectOption({ label: '1 day' });
      await byTestId('advance-clock-button').click();
      await eventually(() => failing.locator('[data-test-id="webhook-attempts"]').textContent(), 20_000).toBe(String(attempt));
    }
    await eventually(() => failing.getAttribute('data-status')).toBe('failed');
    // Then its attempt details show the latency, the response and the code
    await failing.locator('[data-test-id="webhook-details-button"]').click();
    await eventually(() => page.locator('[data-test-id="webhook-attempt"]').count()).toBe(5);
    expect(await page.locator('[data-test-id="webhook-attempt-response"]').first().textContent()).toContain('maintenance');
    expect(await page.locator('[data-test-id="webhook-attempt-latency"]').first().textContent()).toMatch(/^\d+ ms$/);
    await shoot('webhooks');
    // When the receiver is back and "Retry" is pressed on the failed row
    receiver.state.status = 200;
    const verifiedBefore = receiver.state.deliveries.filter((d) => d.verified && d.event === 'webhook.test').length;
    const failedId = await failing.getAttribute('data-delivery-id');
    await failing.locator('[data-test-id="retry-webhook-button"]').click();
    // Then it is delivered and verified again: a manual retry starts the count over, and the
    // row's details keep all six attempts
    const retried = page.locator(`[data-test-id="webhook-log-item"][data-delivery-id="${failedId}"]`);
    await eventually(() => retried.getAttribute('data-status'), 20_000).toBe('success');
    expect(await retried.locator('[data-test-id="webhook-attempts"]').textContent()).toBe('1');
    await eventually(() => page.locator('[data-test-id="webhook-attempt"]').count()).toBe(6);
    expect(await retried.locator('[data-test-id="webhook-response-code"]').textContent()).toBe('200');
    await eventually(() => receiver.state.deliveries.filter((d) => d.verified && d.event === 'webhook.test').length).toBe(verifiedBefore + 1);
  });

  it('copies the secret and rotates it; the receiver verifies with the new one alone', async () => {
    const secret = await byTestId('webhook-secret').textContent();
    expect(secret).toBe('whsec_test_abc123');
    await byTestId('copy-secret-button').click();
    await eventually(() => byTestId('secret-message').textContent()).toContain('copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    // When it is rotated
    await byTestId('regenerate-secret-button').click();
    await eventually(() => byTestId('webhook-secret').textContent()).not.toBe(secret);
    const rotated = (await byTestId('webhook-secret').textContent())!;
    expect(rotated).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // Then the page says until when the old one is still signed
    expect(await byTestId('previous-secret-expiry').textContent()).toContain('still signed');
    // And a test webhook verifies with the new secret alone
    receiver.state.secrets = [rotated];
    await byTestId('test-webhook-button').click();
    await eventually(() => receiver.state.deliveries.filter((d) => d.secretUsed === rotated).length).toBe(1);
    await shootMobile('webhooks', '/dashboard/webhooks', 'webhook-log-item');
  });

  it('shows every data-test-id DESIGN.md lists for the webhooks page', async () => {
    for (const id of DESIGN_TEST_IDS.webhooks) {
      // document.querySelector, as an outside test would: the pages render in the light DOM.
      expect(await page.evaluate((testId) => document.querySelector(`[data-test-id="${testId}"]`) !== null, id), id).toBe(true);
    }
  });

  it("fills the docs page's three snippets with the merchant's key, never the secret, and every data-test-id", async () => {
    // Keyboard only: the navigation link is reachable with Tab and opens with Enter.
    await page.getByRole('link', { name: 'API docs' }).focus();
    await page.keyboard.press('Enter');
    await byTestId('api-docs').waitFor();
    for (const id of DESIGN_TEST_IDS.docs)
      expect(await page.evaluate((testId) => document.querySelector(`[data-test-id="${testId}"]`) !== null, id), id).toBe(true);
    for (const id of ['code-snippet-create-order', 'code-snippet-sdk', 'code-snippet-webhook']) {
      const text = (await byTestId(id).textContent()) ?? '';
      expect(text.length, id).toBeGreaterThan(50);
      expect(text, id).not.toContain(SEED.secret);
    }
    expect(await byTestId('code-snippet-create-order').textContent()).toContain(`X-Api-Key: ${SEED.key}`);
    expect(await byTestId('code-snippet-sdk').textContent()).toContain(`key: '${SEED.key}'`);
    expect(await byTestId('code-snippet-sdk').textContent()).toContain(`${base}/checkout.js`);
    expect(await byTestId('code-snippet-webhook').textContent()).toContain('verifyWebhook');
    expect(await page.locator('a[href="/docs"]').count()).toBe(1);
    expect(await page.locator('a[href="/openapi.json"]').count()).toBe(1);
    await shoot('docs');
    await shootMobile('docs', '/dashboard/docs', 'api-docs');
  });

  it('resets the test data from the strip', async () => {
    await page.goto(`${base}/dashboard`);
    await eventually(async () => Number(await byTestId('payments-today').textContent())).toBeGreaterThan(0);
    await byTestId('reset-button').click();
    await byTestId('reset-button').filter({ hasText: 'Click again' }).click();
    await eventually(async () => Number(await byTestId('payments-today').textContent()), 20_000).toBe(0);
    expect((await api('GET', '/api/v1/payments')).body.total).toBe(0);
  });

  it('ran without a CSP violation or a page error, and left a PNG for each page', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
    for (const name of ['sign-in-desktop', 'overview-desktop', 'overview-mobile', 'payments-desktop', 'payment-desktop', 'webhooks-desktop', 'docs-mobile']) {
      expect(
        readFileSync(join(SHOTS, `${name}.png`))
          .subarray(1, 4)
          .toString(),
        name,
      ).toBe('PNG');
    }
  });
});

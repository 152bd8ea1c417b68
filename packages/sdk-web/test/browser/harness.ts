// What the browser tests share: a real `pg-cli dev --test-mode` (the built CLI), a merchant's
// webhook receiver verifying with @paygate/webhook-verify, Debian's Chromium, and screenshots.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { isWebhookVerificationError, verifyWebhook, type PaygateWebhookEvent } from '@paygate/webhook-verify';
import { startDevGateway as startTestModeDevGateway } from '../../../server/test/helpers/dev-gateway.js';

export { haveBrowser, launchChromium } from '../../../server/test/helpers/chromium.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** Where the run writes its screenshots: PAYGATE_SCREENSHOTS_DIR, else test-results/ (git-ignored). */
export const SCREENSHOTS_DIR = process.env['PAYGATE_SCREENSHOTS_DIR'] ?? join(repoRoot, 'packages/sdk-web/test-results/screenshots');

export const SEED = { key: 'key_test_abc123', secret: 'secret_test_xyz789', webhookSecret: 'whsec_test_abc123' } as const;

/** `pg-cli dev --test-mode --data-dir memory` on a free port, with the calls a merchant's server makes. */
export async function startDevGateway() {
  const { origin, stop } = await startTestModeDevGateway();

  /** A call as the merchant's server makes it, with the secret (never from the browser). */
  async function merchantCall<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { 'X-Api-Key': SEED.key, 'X-Api-Secret': SEED.secret, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  return {
    origin,
    merchantCall,
    createOrder: async (amount = 50_000) => (await merchantCall<{ id: string }>('POST', '/api/v1/orders', { amount, currency: 'INR' })).id,
    /** The order's payments, as the merchant sees them. */
    paymentsOf: async (orderId: string) =>
      (await merchantCall<{ data: Array<{ id: string; order_id: string; status: string }> }>('GET', '/api/v1/payments?limit=100')).data.filter(
        (p) => p.order_id === orderId,
      ),
    stop,
  };
}
export type DevGateway = Awaited<ReturnType<typeof startDevGateway>>;

/** The merchant's webhook endpoint: verifies every delivery against the raw body, as the examples do. */
export async function startWebhookReceiver(secret: string) {
  const verified: PaygateWebhookEvent[] = [];
  const rejected: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      verifyWebhook(Buffer.concat(chunks), req.headers, secret).then(
        (event) => {
          verified.push(event);
          res.writeHead(200).end('OK');
        },
        (error: unknown) => {
          rejected.push(isWebhookVerificationError(error) ? error.reason : String(error));
          res.writeHead(400).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    verified,
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Saves a screenshot as `<name>.png` in the screenshots folder: the whole page on a desktop, the
 * viewport on a phone (a full-page capture resizes the emulated screen and drops its touch input,
 * so `(pointer: coarse)` styles would vanish from the picture).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const isPhone = await page.evaluate(() => matchMedia('(pointer: coarse)').matches);
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: !isPhone, animations: 'disabled' });
}

/** The element that has focus, looking inside shadow roots: its id, role and text. */
export async function focused(page: Page): Promise<{ id: string; role: string | null; text: string }> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return { id: active?.id ?? '', role: active?.getAttribute('role') ?? null, text: (active?.textContent ?? '').trim() };
  });
}

// The checkout in Debian's Chromium against a real `pg-cli dev --test-mode`: the hosted page at the
// seed's URL, the seed's checkout.js modal on a merchant's page (examples/checkout-html), keyboard
// only, a double click, and the merchant's webhook for a browser payment. One gateway and one
// browser for the whole file; every state is saved as a screenshot (desktop and 375 px).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCheckoutExample } from '@paygate/example-checkout-html';
import { SEED, focused, haveBrowser, launchChromium, screenshot, startDevGateway, startWebhookReceiver, type DevGateway } from './harness.js';

if (!haveBrowser) console.warn('[sdk-web] browser tests skipped: /usr/bin/chromium not found (apt-get install -y chromium)');

const DESKTOP = { viewport: { width: 1280, height: 860 } };
const PHONE = { viewport: { width: 375, height: 1000 }, isMobile: true, hasTouch: true };
const GOOD_CARD = '4111111111111111';
const DECLINED_CARD = '4000000000000002';

describe.skipIf(!haveBrowser)('checkout in Chromium against pg-cli dev --test-mode', { timeout: 60_000 }, () => {
  let gw: DevGateway;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let shop: Awaited<ReturnType<typeof startCheckoutExample>>;
  const contexts: BrowserContext[] = [];
  /** Every body the browser received in this file's run, from the gateway and the shop alike. */
  const received: Array<Promise<{ url: string; body: string }>> = [];

  beforeAll(async () => {
    [gw, browser, receiver] = await Promise.all([startDevGateway(), launchChromium(), startWebhookReceiver(SEED.webhookSecret)]);
    shop = await startCheckoutExample({ gatewayUrl: gw.origin, port: 0 });
    // The merchant points its webhooks at its receiver, as the README shows.
    await gw.merchantCall('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await Promise.all([gw?.stop(), receiver?.close(), shop?.close()]);
  });

  /** A fresh page (its own cookies and storage), recording what it sends to the checkout API. */
  async function newPage(device: typeof DESKTOP | typeof PHONE = DESKTOP, options: { colorScheme?: 'dark' | 'light' } = {}) {
    const context = await browser.newContext({ ...device, colorScheme: options.colorScheme ?? 'light', reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    const paymentPosts: string[] = [];
    const consoleLines: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/checkout/payments')) paymentPosts.push(r.postData() ?? '');
    });
    page.on('console', (m) => consoleLines.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() < 300)
        received.push(
          r.text().then(
            (body) => ({ url: r.url(), body }),
            () => ({ url: r.url(), body: '' }),
          ),
        );
    });
    return { page, paymentPosts, consoleLines, errors };
  }

  /** The seed's hosted checkout URL for a new order, loaded until the checkout shows its tabs. */
  async function openHostedCheckout(page: Page, orderId: string) {
    await page.goto(`${gw.origin}/checkout?order_id=${orderId}`);
    await page.getByRole('tab', { name: 'UPI' }).waitFor();
  }

  async function fillCard(page: Page, number: string) {
    await page.getByRole('tab', { name: 'Card' }).click();
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiry (MM/YY)').fill('12/29');
    await page.getByLabel('CVV').fill('123');
    await page.getByLabel('Name on card').fill('Asha Shopper');
  }

  const payButton = (scope: Page | ReturnType<Page['locator']>) => scope.getByRole('button', { name: /^Pay / });
  const shownPaymentId = async (page: Page) => (await page.locator('[data-payment-id]').textContent())!.trim();

  it('pays by UPI through the test bank step, and the webhook of that payment arrives verified', async () => {
    const { page, errors } = await newPage();
    const orderId = await gw.createOrder();
    await openHostedCheckout(page, orderId);
    await expect.poll(() => page.getByText('no real money moves').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('img', { name: 'UPI QR code to pay ₹500.00' }).isVisible()).toBe(true);
    await screenshot(page, 'upi-desktop');

    await page.getByRole('button', { name: 'Succeed' }).click();
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor();
    await screenshot(page, 'success-desktop');
    const paymentId = await shownPaymentId(page);
    expect(paymentId).toMatch(/^pay_[A-Za-z0-9]{16}$/);
    expect(await gw.paymentsOf(orderId)).toEqual([expect.objectContaining({ id: paymentId, status: 'success' })]);

    // The merchant's receiver verified payment.success for the payment the browser made
    await expect
      .poll(() => receiver.verified.filter((e) => e.event === 'payment.success').map((e) => (e.data as { payment: { id: string } }).payment.id), {
        timeout: 15_000,
      })
      .toContain(paymentId);
    expect(receiver.rejected).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("pays by card on the hosted page at the seed's URL, showing the network and the processing state", async () => {
    const { page, paymentPosts } = await newPage();
    const orderId = await gw.createOrder();
    await openHostedCheckout(page, orderId);
    await fillCard(page, GOOD_CARD);
    expect(await page.getByLabel('Card number').inputValue()).toBe('4111 1111 1111 1111');
    expect(await page.locator('.network').textContent()).toBe('Visa');
    await screenshot(page, 'card-desktop');

    await payButton(page).click();
    await page.getByRole('heading', { name: 'Processing payment…' }).waitFor();
    await screenshot(page, 'processing-desktop');
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor();
    expect(paymentPosts).toHaveLength(1);
    // Only the last four digits could ever be stored; the browser sent the whole number to the gateway alone.
    expect(JSON.parse(paymentPosts[0]!)).toMatchObject({ order_id: orderId, method: 'card', card: { number: GOOD_CARD, expiry_month: 12, expiry_year: 2029 } });
  });

  it('shows a declined card as failed, then "Try again" pays with another card', async () => {
    const { page, paymentPosts } = await newPage();
    const orderId = await gw.createOrder();
    await openHostedCheckout(page, orderId);
    await fillCard(page, DECLINED_CARD);
    await payButton(page).click();
    await page.getByRole('heading', { name: 'Payment failed' }).waitFor();
    expect(await page.getByText('The card was declined by the issuing bank.', { exact: true }).isVisible()).toBe(true);
    await screenshot(page, 'failed-desktop');

    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByLabel('Card number').fill('5555555555554444');
    expect(await page.locator('.network').textContent()).toBe('Mastercard');
    await payButton(page).click();
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor();
    expect(paymentPosts).toHaveLength(2);
    const payments = await gw.paymentsOf(orderId);
    expect(payments.map((p) => p.status).sort()).toEqual(['failed', 'success']);
  });

  it('blocks an invalid card number before any request, with the reason beside the field', async () => {
    const { page, paymentPosts } = await newPage();
    const orderId = await gw.createOrder();
    await openHostedCheckout(page, orderId);
    await fillCard(page, '4111111111111112');
    await page.getByLabel('CVV').fill('12');
    await page.getByLabel('Name on card').focus();
    await expect.poll(() => page.getByText('This card number is not valid. Check the digits.').isVisible()).toBe(true);
    await screenshot(page, 'card-invalid-desktop');

    await payButton(page).click();
    expect(await focused(page)).toMatchObject({ id: 'number' });
    expect(await page.getByLabel('Card number').getAttribute('aria-invalid')).toBe('true');
    expect(paymentPosts).toEqual([]);
    expect(await gw.paymentsOf(orderId)).toEqual([]);
  });

  it('pays once when Pay is double-clicked', async () => {
    const { page, paymentPosts } = await newPage();
    const orderId = await gw.createOrder();
    await openHostedCheckout(page, orderId);
    await fillCard(page, GOOD_CARD);
    await payButton(page).dblclick();
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor();
    expect(paymentPosts).toHaveLength(1);
    expect(await gw.paymentsOf(orderId)).toHaveLength(1);
  });

  it('takes a whole card payment from the keyboard alone', async () => {
    const { page } = await newPage();
    const orderId = await gw.createOrder();
    await openHostedCheckout(page, orderId);

    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: 'UPI' });
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: 'Card' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'number' });
    await page.keyboard.type(GOOD_CARD);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'expiry' });
    await page.keyboard.type('1229');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'name' });
    await page.keyboard.type('Keyboard Shopper');
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Pay ₹500.00');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Payment successful' }).waitFor();
    // Focus moves to the outcome, so a screen reader reads it and the keyboard goes on from there
    await expect.poll(async () => (await focused(page)).text).toBe('Payment successful');
    expect(await gw.paymentsOf(orderId)).toEqual([expect.objectContaining({ status: 'success' })]);
  });

  it("opens the seed's PaymentGateway modal from a merchant's page, and onSuccess gets the payment id", async () => {
    const { page, consoleLines, errors } = await newPage();
    await page.goto(shop.url);
    await page.locator('#pay-button').click();
    const modal = page.locator('[data-test-id="payment-modal"]');
    await modal.getByRole('tab', { name: 'UPI' }).waitFor();
    await screenshot(page, 'modal-desktop');

    await fillCard(page, GOOD_CARD);
    await payButton(modal).click();
    // The seed's onSuccess redirects to /success?payment_id=…, where the shop's server checks it
    await page.waitForURL(/\/success\?payment_id=pay_/);
    const paymentId = new URL(page.url()).searchParams.get('payment_id');
    expect(consoleLines).toContain(`Payment successful: ${paymentId}`);
    expect(await page.locator('#payment-status').textContent()).toBe('success');
    expect(errors).toEqual([]);
  });

  it('calls onFailure with the reason, and onClose from the close button', async () => {
    const { page, consoleLines } = await newPage();
    const alerts: string[] = [];
    page.on('dialog', (d) => {
      alerts.push(d.message());
      void d.accept();
    });
    await page.goto(shop.url);
    await page.locator('#pay-button').click();
    const modal = page.locator('[data-test-id="payment-modal"]');
    await fillCard(page, DECLINED_CARD);
    await payButton(modal).click();
    await modal.getByRole('heading', { name: 'Payment failed' }).waitFor();
    await expect.poll(() => alerts).toEqual(['Payment failed: The card was declined by the issuing bank.']);

    await page.locator('[data-test-id="close-modal-button"]').click();
    await expect.poll(() => modal.count()).toBe(0);
    expect(consoleLines).toContain('Payment modal closed');
  });

  it('keeps focus inside the open modal, and Escape closes it (onClose) and gives focus back', async () => {
    const { page, consoleLines } = await newPage();
    await page.goto(shop.url);
    await page.locator('#pay-button').focus();
    await page.keyboard.press('Enter');
    const modal = page.locator('[data-test-id="payment-modal"]');
    await modal.getByRole('tab', { name: 'UPI' }).waitFor();

    const insideModal = () => page.evaluate(() => document.querySelector('[data-test-id="payment-modal"]')!.contains(document.activeElement));
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await insideModal(), `after ${i + 1} Tab presses`).toBe(true);
    }
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await insideModal(), `after ${i + 1} Shift+Tab presses`).toBe(true);
    }

    await page.keyboard.press('Escape');
    await expect.poll(() => modal.count()).toBe(0);
    expect(consoleLines).toContain('Payment modal closed');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pay-button');
  });

  it('never gave the browser a secret: no page, script or API answer it received holds one', async () => {
    // Runs after the payments above, over everything their pages received.
    const bodies = await Promise.all(received);
    expect(bodies.length).toBeGreaterThan(50);
    expect(bodies.some((b) => b.url.endsWith('/checkout.js') && b.body.includes('PaymentGateway'))).toBe(true);
    expect(bodies.some((b) => b.url.includes('/checkout?order_id=') && b.body.includes('<pay-checkout'))).toBe(true);
    for (const { url, body } of bodies) {
      for (const secret of [SEED.secret, SEED.webhookSecret]) expect(body, url).not.toContain(secret);
      expect(body, url).not.toMatch(/secret_[A-Za-z0-9]{6,}|whsec_[A-Za-z0-9+/=]{6,}/);
    }
  });

  it('fits a 375 px phone (the UPI app link shows) and a 320 px screen, in light and dark', async () => {
    const { page } = await newPage(PHONE);
    const orderId = await gw.createOrder();
    await openHostedCheckout(page, orderId);
    expect(await page.getByRole('link', { name: 'Open UPI app' }).getAttribute('href')).toMatch(
      /^upi:\/\/pay\?pa=[^&]+&pn=Test%20Merchant&am=500\.00&cu=INR&tn=/,
    );
    expect(await page.getByRole('link', { name: 'Open UPI app' }).isVisible()).toBe(true);
    await screenshot(page, 'upi-375');

    await fillCard(page, '4111111111111112');
    await page.getByLabel('CVV').fill('12');
    await page.getByLabel('Name on card').focus();
    await screenshot(page, 'card-invalid-375');
    await page.getByLabel('Card number').fill(DECLINED_CARD);
    await page.getByLabel('CVV').fill('123');
    await payButton(page).click();
    await page.getByRole('heading', { name: 'Processing payment…' }).waitFor();
    await screenshot(page, 'processing-375');
    await page.getByRole('heading', { name: 'Payment failed' }).waitFor();
    await screenshot(page, 'failed-375');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByLabel('Card number').fill(GOOD_CARD);
    await payButton(page).click();
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor();
    await screenshot(page, 'success-375');

    const shopPage = (await newPage(PHONE)).page;
    await shopPage.goto(shop.url);
    await shopPage.locator('#pay-button').click();
    await shopPage.locator('[data-test-id="payment-modal"]').getByRole('tab', { name: 'UPI' }).waitFor();
    await screenshot(shopPage, 'modal-375');

    // 320 px: nothing runs off the side
    const narrow = (await newPage({ viewport: { width: 320, height: 700 }, isMobile: true, hasTouch: true }, { colorScheme: 'dark' })).page;
    await openHostedCheckout(narrow, await gw.createOrder());
    await narrow.getByRole('tab', { name: 'Card' }).click();
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(narrow, 'card-320-dark');
  });
});

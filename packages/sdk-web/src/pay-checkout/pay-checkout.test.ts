// @vitest-environment happy-dom
// <pay-checkout> in a DOM, against the checkout API mocked at the network boundary (msw): what the
// shopper sees as they type, what the element sends, and how it follows a payment to its outcome.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckoutOrder, CheckoutPayment } from '../internal/checkout-api.js';
import type { PayFailureEvent, PaySuccessEvent } from './events.js';
import './pay-checkout.js';
import type { PayCheckout } from './pay-checkout.component.js';

const API = 'http://gateway.test';
const ORDER: CheckoutOrder = {
  id: 'order_AAAAAAAAAAAAAAAA',
  amount: 50_000,
  currency: 'INR',
  status: 'created',
  merchant_name: 'Chai & Co',
  test_mode: true,
  upi_vpa: 'paygate.m1@paygate',
};

function paymentOf(status: CheckoutPayment['status'], overrides: Partial<CheckoutPayment> = {}): CheckoutPayment {
  return {
    id: 'pay_BBBBBBBBBBBBBBBB',
    order_id: ORDER.id,
    amount: ORDER.amount,
    currency: 'INR',
    method: 'card',
    status,
    error_code: status === 'failed' ? 'CARD_DECLINED' : null,
    error_description: status === 'failed' ? 'The card was declined by the issuing bank.' : null,
    created_at: '2026-11-29T00:00:00.000Z',
    ...overrides,
  };
}

type Sent = { body: unknown; idempotencyKey: string | null; apiKey: string | null };

/** The API the element talks to: one order, payments that settle as `outcome` after one pending read. */
function mockGateway({
  order = ORDER,
  outcome = 'success' as 'success' | 'failed',
  createStatus = 201,
  createBody,
}: { order?: CheckoutOrder; outcome?: 'success' | 'failed'; createStatus?: number; createBody?: Record<string, unknown> } = {}) {
  const sent: Sent[] = [];
  const reads = new Map<string, number>();
  server.use(
    http.get(`${API}/api/v1/checkout/orders/${order.id}`, () => HttpResponse.json(order)),
    http.post(`${API}/api/v1/checkout/payments`, async ({ request }) => {
      sent.push({ body: await request.json(), idempotencyKey: request.headers.get('idempotency-key'), apiKey: request.headers.get('x-api-key') });
      if (createStatus !== 201) return HttpResponse.json(createBody, { status: createStatus });
      return HttpResponse.json(paymentOf('pending', { id: `pay_${String(sent.length).padStart(16, '0')}` }), { status: 201 });
    }),
    http.get(`${API}/api/v1/checkout/payments/:id`, ({ params }) => {
      const id = String(params['id']);
      const seen = (reads.get(id) ?? 0) + 1;
      reads.set(id, seen);
      return HttpResponse.json(paymentOf(seen < 2 ? 'pending' : outcome, { id }));
    }),
  );
  return { sent };
}

const server = setupServer();
/** A payment settles after one pending read: two poll delays (0.4 s + 0.6 s). */
const SETTLE = { timeout: 5_000 };
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  document.body.replaceChildren();
});
afterAll(() => server.close());

async function mount(order: CheckoutOrder = ORDER): Promise<PayCheckout> {
  const el = document.createElement('pay-checkout');
  el.setAttribute('api-base', API);
  el.setAttribute('key', 'key_test_abc123');
  el.setAttribute('order-id', order.id);
  document.body.append(el);
  await vi.waitFor(() => expect(text(el)).toContain(order.merchant_name));
  return el;
}

const root = (el: PayCheckout) => el.shadowRoot!;
const text = (el: PayCheckout) => (root(el).textContent ?? '').replace(/\s+/g, ' ');
const $ = <T extends Element = HTMLElement>(el: PayCheckout, selector: string) => root(el).querySelector<T & HTMLElement>(selector)!;
const tab = (el: PayCheckout, name: string) => [...root(el).querySelectorAll<HTMLButtonElement>('[role="tab"]')].find((t) => t.textContent?.trim() === name)!;
const payButton = (el: PayCheckout) => $<HTMLButtonElement>(el, 'button.pay');
const fieldError = (el: PayCheckout, id: string) => $(el, `#${id}-error`).textContent?.trim() ?? '';

async function type(el: PayCheckout, id: string, value: string) {
  const input = $<HTMLInputElement>(el, `#${id}`);
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { inputType: 'insertText', bubbles: true, composed: true }));
  await el.updateComplete;
  return input;
}

async function fillGoodCard(el: PayCheckout, number = '4111111111111111') {
  tab(el, 'Card').click();
  await el.updateComplete;
  await type(el, 'number', number);
  await type(el, 'expiry', '1229');
  await type(el, 'cvv', '123');
  await type(el, 'name', 'A Shopper');
}

describe('<pay-checkout>', () => {
  it('shows the merchant, the amount formatted from minor units, the tabs and the test-mode hints', async () => {
    mockGateway();
    const el = await mount();
    expect(text(el)).toContain('Chai & Co');
    expect(text(el)).toContain('₹500.00');
    expect([...root(el).querySelectorAll('[role="tab"]')].map((t) => t.textContent?.trim())).toEqual(['UPI', 'Card']);
    expect(tab(el, 'UPI').getAttribute('aria-selected')).toBe('true');
    expect(payButton(el).textContent?.trim()).toBe('Pay ₹500.00');
    expect(text(el)).toContain('Test mode');
    expect(text(el)).toContain('success@paygate');
    // The QR code carries the UPI intent for this order's amount
    const upiLink = $<HTMLAnchorElement>(el, 'a.upi-app').getAttribute('href');
    expect(upiLink).toBe('upi://pay?pa=paygate.m1%40paygate&pn=Chai%20%26%20Co&am=500.00&cu=INR&tn=Order%20order_AAAAAAAAAAAAAAAA');
    expect($(el, 'svg[role="img"]').getAttribute('aria-label')).toBe('UPI QR code to pay ₹500.00');
  });

  it('offers only the card for a currency UPI does not take, with its own exponent', async () => {
    const yen = { ...ORDER, id: 'order_JJJJJJJJJJJJJJJJ', currency: 'JPY', amount: 500, test_mode: false };
    mockGateway({ order: yen });
    const el = await mount(yen);
    expect([...root(el).querySelectorAll('[role="tab"]')].map((t) => t.textContent?.trim())).toEqual(['Card']);
    expect(payButton(el).textContent?.trim()).toMatch(/^Pay (JP)?¥500$/);
    expect(text(el)).not.toContain('Test mode');
  });

  it('spaces the card number, names the network, and judges each field as the shopper types', async () => {
    mockGateway();
    const el = await mount();
    tab(el, 'Card').click();
    await el.updateComplete;

    expect((await type(el, 'number', '4111111111111111')).value).toBe('4111 1111 1111 1111');
    expect($(el, '.network').textContent).toBe('Visa');
    expect(fieldError(el, 'number')).toBe('');

    expect((await type(el, 'number', '378282246310005')).value).toBe('3782 822463 10005');
    expect($(el, '.network').textContent).toBe('American Express');
    await type(el, 'cvv', '123');
    $(el, '#cvv').dispatchEvent(new Event('blur'));
    await el.updateComplete;
    expect(fieldError(el, 'cvv')).toBe('The CVV has 4 digits.');

    await type(el, 'number', '4111111111111112');
    expect(fieldError(el, 'number')).toBe('This card number is not valid. Check the digits.');
    expect($(el, '#number').getAttribute('aria-invalid')).toBe('true');

    expect((await type(el, 'expiry', '0120')).value).toBe('01/20');
    expect(fieldError(el, 'expiry')).toBe('This card has expired.');
  });

  it('blocks an invalid card before any request and puts focus on the field to fix', async () => {
    const { sent } = mockGateway();
    const el = await mount();
    await fillGoodCard(el, '4111111111111112');
    payButton(el).click();
    await el.updateComplete;
    expect(sent).toEqual([]);
    expect(fieldError(el, 'number')).toBe('This card number is not valid. Check the digits.');
    expect(el.shadowRoot!.activeElement?.id).toBe('number');
  });

  it('checks the UPI ID shape beside the field', async () => {
    const { sent } = mockGateway();
    const el = await mount();
    await type(el, 'vpa', 'shopper@1');
    expect(fieldError(el, 'vpa')).toBe('Enter a UPI ID like name@bank.');
    payButton(el).click();
    await el.updateComplete;
    expect(sent).toEqual([]);
  });

  it('pays once with an Idempotency-Key, follows the payment to success and fires pay-success', async () => {
    const { sent } = mockGateway();
    const el = await mount();
    const successes: PaySuccessEvent[] = [];
    document.addEventListener('pay-success', (e) => successes.push(e), { once: true });
    await fillGoodCard(el);

    // When the shopper clicks Pay twice in a row
    payButton(el).click();
    payButton(el).click();
    await el.updateComplete;
    // Then the button is disabled while submitting, and one request went out
    await vi.waitFor(() => expect(text(el)).toContain('Payment successful'), SETTLE);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      apiKey: 'key_test_abc123',
      idempotencyKey: expect.stringMatching(/^chk_[\w-]{32,}$/),
      body: { order_id: ORDER.id, method: 'card', card: { number: '4111111111111111', expiry_month: 12, expiry_year: 2029, cvv: '123', name: 'A Shopper' } },
    });
    expect(text(el)).toContain('pay_0000000000000001');
    expect(successes.map((e) => [e.detail, e.bubbles, e.composed])).toEqual([
      [{ paymentId: 'pay_0000000000000001', orderId: ORDER.id, status: 'success' }, true, true],
    ]);
    expect($(el, '[role="status"]').textContent).toContain('Payment successful');
  });

  it('shows a failure with the reason, fires pay-failure, and tries again with a new key', async () => {
    const { sent } = mockGateway({ outcome: 'failed' });
    const el = await mount();
    const failures: PayFailureEvent[] = [];
    el.addEventListener('pay-failure', (e) => failures.push(e));
    await fillGoodCard(el, '4000000000000002');
    payButton(el).click();
    await vi.waitFor(() => expect(text(el)).toContain('Payment failed'), SETTLE);
    expect(text(el)).toContain('The card was declined by the issuing bank.');
    expect(failures.map((e) => e.detail)).toEqual([{ error: 'The card was declined by the issuing bank.', paymentId: 'pay_0000000000000001' }]);

    // When the shopper tries again
    [...root(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Try again')!.click();
    await el.updateComplete;
    // Then the form is back, filled, and the next attempt has its own key
    expect($<HTMLInputElement>(el, '#number').value).toBe('4000 0000 0000 0002');
    payButton(el).click();
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]!.idempotencyKey).not.toBe(sent[0]!.idempotencyKey);
  });

  it("shows the gateway's own validation error and keeps the form", async () => {
    mockGateway({
      createStatus: 400,
      createBody: { error: { code: 'BAD_REQUEST_ERROR', description: 'card.expiry_month: the card expired', field: 'card.expiry_month' } },
    });
    const el = await mount();
    await fillGoodCard(el);
    payButton(el).click();
    await vi.waitFor(() => expect($(el, '[role="alert"]').textContent).toBe('card.expiry_month: the card expired'));
    expect(payButton(el).disabled).toBe(false);
    expect(text(el)).not.toContain('Payment failed');
  });

  it("plays the shopper's UPI app in test mode: Succeed pays with the magic VPA", async () => {
    const { sent } = mockGateway();
    const el = await mount();
    [...root(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Succeed')!.click();
    await vi.waitFor(() => expect(text(el)).toContain('Payment successful'), SETTLE);
    expect(sent.map((s) => s.body)).toEqual([{ order_id: ORDER.id, method: 'upi', vpa: 'success@paygate' }]);
  });

  it('fires pay-close from a dismissible checkout: its Close button after the outcome, and Escape', async () => {
    mockGateway();
    const el = await mount();
    el.dismissible = true;
    const closes: Event[] = [];
    document.addEventListener('pay-close', (e) => closes.push(e));
    $(el, '#vpa').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    expect(closes).toHaveLength(1);
    expect([closes[0]!.bubbles, closes[0]!.composed]).toEqual([true, true]);

    [...root(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Succeed')!.click();
    await vi.waitFor(() => expect(text(el)).toContain('Payment successful'), SETTLE);
    [...root(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Close')!.click();
    expect(closes).toHaveLength(2);
  });

  it('says when the order is already paid, or cannot be loaded', async () => {
    const paid = { ...ORDER, id: 'order_PPPPPPPPPPPPPPPP', status: 'paid' };
    mockGateway({ order: paid });
    const el = await mount(paid);
    expect(text(el)).toContain('This order is already paid');
    expect(root(el).querySelector('button.pay')).toBeNull();

    server.use(
      http.get(`${API}/api/v1/checkout/orders/order_MMMMMMMMMMMMMMMM`, () =>
        HttpResponse.json({ error: { code: 'NOT_FOUND_ERROR', description: 'No order order_MMMMMMMMMMMMMMMM for this merchant.' } }, { status: 404 }),
      ),
    );
    const missing = document.createElement('pay-checkout');
    missing.setAttribute('api-base', API);
    missing.setAttribute('key', 'key_test_abc123');
    missing.setAttribute('order-id', 'order_MMMMMMMMMMMMMMMM');
    document.body.append(missing);
    await vi.waitFor(() => expect(text(missing)).toContain('We could not load this order'));
    expect(text(missing)).toContain('No order order_MMMMMMMMMMMMMMMM for this merchant.');
  });
});

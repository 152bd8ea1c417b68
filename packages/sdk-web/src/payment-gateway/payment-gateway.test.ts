// @vitest-environment happy-dom
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import '../pay-checkout/pay-checkout.js';
import { PaymentGateway } from './payment-gateway.js';

// The modal's own behaviour; the element inside loads an order it is not asked about here.
const API = 'http://gateway.test';
const server = setupServer(
  http.get(`${API}/api/v1/checkout/orders/order_1`, () =>
    HttpResponse.json({ id: 'order_1', amount: 100, currency: 'INR', status: 'created', merchant_name: 'M', test_mode: true, upi_vpa: 'm@paygate' }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => document.body.replaceChildren());
afterAll(() => server.close());

describe('PaymentGateway', () => {
  it('refuses a secret, a missing order and unknown options, saying what to pass', () => {
    expect(() => new PaymentGateway({ key: 'secret_test_xyz789', orderId: 'order_1' })).toThrow(/public key \(key_…\), never the API secret/);
    expect(() => new PaymentGateway({ key: 'key_test_abc123', orderId: '' })).toThrow(/'orderId' is required/);
    expect(() => new PaymentGateway({ key: 'key_test_abc123', orderId: 'order_1', onSucess: () => {} } as never)).toThrow(/unknown option onSucess/);
  });

  it('opens a modal with the checkout, and closes on the close button or Escape, calling onClose each time', () => {
    const onClose = vi.fn();
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const checkout = new PaymentGateway({ key: 'key_test_abc123', orderId: 'order_1', apiBase: API, onClose });

    checkout.open();
    checkout.open(); // a second open while open does nothing
    const modals = document.querySelectorAll('[data-test-id="payment-modal"]');
    expect(modals).toHaveLength(1);
    expect(modals[0]!.getAttribute('role')).toBe('dialog');
    expect(modals[0]!.getAttribute('aria-modal')).toBe('true');
    const element = modals[0]!.querySelector('pay-checkout')!;
    expect([element.getAttribute('order-id'), element.getAttribute('key'), element.getAttribute('api-base')]).toEqual(['order_1', 'key_test_abc123', API]);
    const close = document.querySelector<HTMLButtonElement>('[data-test-id="close-modal-button"]')!;
    expect(document.activeElement).toBe(close);

    close.click();
    expect(document.querySelector('[data-test-id="payment-modal"]')).toBeNull();
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(opener);

    checkout.open();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(checkout.isOpen).toBe(false);
    expect(document.querySelector('[data-test-id="payment-modal"]')).toBeNull();
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});

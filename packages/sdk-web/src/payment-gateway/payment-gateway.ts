import type { PayCheckout } from '../pay-checkout/pay-checkout.component.js';
import type { PayFailureEvent, PaySuccessEvent } from '../pay-checkout/events.js';

/** `onSuccess`'s argument, as the seed's checkout.js passed it. */
export type PaymentSuccessResponse = { paymentId: string; orderId: string; status: 'success' };
/** `onFailure`'s argument: `error` is the reason, for people (the seed's snippet shows `error.error`). */
export type PaymentFailureResponse = { error: string; paymentId: string | null };

/** The seed's `new PaymentGateway({...})` options. */
export type PaymentGatewayOptions = {
  /** The merchant's public key (`key_…`). Never the secret. */
  key: string;
  /** The order to pay, created by the merchant's server. */
  orderId: string;
  onSuccess?: (response: PaymentSuccessResponse) => void;
  onFailure?: (response: PaymentFailureResponse) => void;
  onClose?: () => void;
  /** The gateway's origin; by default the origin checkout.js was loaded from. */
  apiBase?: string;
};

const KNOWN_OPTIONS = new Set(['key', 'orderId', 'onSuccess', 'onFailure', 'onClose', 'apiBase']);

// Inline styles (CSSOM, not a <style> element) so a merchant page's Content-Security-Policy
// without 'unsafe-inline' styles still shows the modal.
const OVERLAY_STYLE: Partial<CSSStyleDeclaration> = {
  position: 'fixed',
  inset: '0',
  zIndex: '2147483000',
  display: 'flex',
  alignItems: 'flex-start',
  justifyContent: 'center',
  overflowY: 'auto',
  padding: '24px 8px',
  background: 'rgba(17, 24, 39, 0.6)',
};
const DIALOG_STYLE: Partial<CSSStyleDeclaration> = {
  position: 'relative',
  width: '100%',
  maxWidth: '440px',
  margin: 'auto 0',
};
const CLOSE_STYLE: Partial<CSSStyleDeclaration> = {
  position: 'absolute',
  top: '-14px',
  right: '-6px',
  width: '36px',
  height: '36px',
  borderRadius: '50%',
  border: '0',
  background: '#ffffff',
  color: '#111827',
  font: '600 20px/36px system-ui, sans-serif',
  cursor: 'pointer',
  boxShadow: '0 1px 4px rgba(0,0,0,0.35)',
  zIndex: '1',
};

/**
 * The seed's checkout.js API: `new PaymentGateway({ key, orderId, onSuccess, onFailure, onClose }).open()`
 * shows `<pay-checkout>` in a modal (`data-test-id="payment-modal"`). Escape or the close button
 * (`data-test-id="close-modal-button"`) closes it and calls `onClose`; focus stays inside while it
 * is open and returns where it was afterwards.
 */
export class PaymentGateway {
  private readonly options: PaymentGatewayOptions;
  private overlay: HTMLDivElement | null = null;
  private previousFocus: Element | null = null;
  private previousOverflow = '';

  constructor(options: PaymentGatewayOptions) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError('PaymentGateway needs options: new PaymentGateway({ key, orderId, onSuccess, onFailure, onClose })');
    const unknown = Object.keys(options).filter((k) => !KNOWN_OPTIONS.has(k));
    if (unknown.length > 0) throw new TypeError(`PaymentGateway: unknown option ${unknown.join(', ')}; known options are ${[...KNOWN_OPTIONS].join(', ')}`);
    if (typeof options.key !== 'string' || !options.key.startsWith('key_')) {
      throw new TypeError("PaymentGateway: 'key' must be the merchant's public key (key_…), never the API secret");
    }
    if (typeof options.orderId !== 'string' || options.orderId === '')
      throw new TypeError("PaymentGateway: 'orderId' is required (the order your server created)");
    this.options = options;
  }

  /** Whether the modal is showing. */
  get isOpen(): boolean {
    return this.overlay !== null;
  }

  /** Shows the checkout modal (a second call while open does nothing). */
  open(): void {
    if (this.overlay) return;
    this.previousFocus = document.activeElement;
    const overlay = document.createElement('div');
    Object.assign(overlay.style, OVERLAY_STYLE);
    overlay.setAttribute('data-test-id', 'payment-modal');
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-modal', 'true');
    overlay.setAttribute('aria-label', 'Checkout');

    const dialog = document.createElement('div');
    Object.assign(dialog.style, DIALOG_STYLE);

    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Close checkout');
    close.setAttribute('data-test-id', 'close-modal-button');
    Object.assign(close.style, CLOSE_STYLE);
    close.addEventListener('click', () => this.close());

    const checkout = document.createElement('pay-checkout') as PayCheckout;
    checkout.setAttribute('order-id', this.options.orderId);
    checkout.setAttribute('key', this.options.key);
    if (this.options.apiBase) checkout.setAttribute('api-base', this.options.apiBase);
    checkout.dismissible = true;
    checkout.style.boxShadow = '0 10px 40px rgba(0,0,0,0.35)';
    checkout.style.borderRadius = 'var(--pay-radius, 10px)';
    checkout.addEventListener('pay-success', (e: PaySuccessEvent) => this.options.onSuccess?.({ ...e.detail }));
    checkout.addEventListener('pay-failure', (e: PayFailureEvent) => this.options.onFailure?.({ ...e.detail }));
    checkout.addEventListener('pay-close', () => this.close());

    // Focus wraps: leaving past the last element lands on the sentinel after it, which sends
    // focus back to the first (and the reverse for Shift+Tab).
    const startSentinel = this.sentinel(() => checkout.focusableElements().at(-1)?.focus() ?? close.focus());
    const endSentinel = this.sentinel(() => close.focus());

    dialog.append(close, checkout);
    overlay.append(startSentinel, dialog, endSentinel);
    overlay.addEventListener('click', (e) => {
      if (e.target === overlay) this.close();
    });
    document.addEventListener('keydown', this.onKeydown, true);
    this.previousOverflow = document.documentElement.style.overflow;
    document.documentElement.style.overflow = 'hidden';
    document.body.append(overlay);
    this.overlay = overlay;
    close.focus();
  }

  /** Closes the modal and calls `onClose` (does nothing when already closed). */
  close(): void {
    const overlay = this.overlay;
    if (!overlay) return;
    this.overlay = null;
    document.removeEventListener('keydown', this.onKeydown, true);
    overlay.remove();
    document.documentElement.style.overflow = this.previousOverflow;
    if (this.previousFocus instanceof HTMLElement) this.previousFocus.focus();
    this.options.onClose?.();
  }

  private sentinel(onFocus: () => void): HTMLElement {
    const el = document.createElement('div');
    el.tabIndex = 0;
    el.setAttribute('aria-hidden', 'true');
    el.addEventListener('focus', onFocus);
    return el;
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.close();
    }
  };
}

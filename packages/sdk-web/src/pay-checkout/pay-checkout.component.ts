import { LitElement, html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { detectCardNetwork, MAGIC_VALUES } from '@paygate/core';
import {
  CheckoutApiError,
  createCheckoutApi,
  type CheckoutApi,
  type CheckoutOrder,
  type CheckoutPayment,
  type CheckoutPaymentInput,
} from '../internal/checkout-api.js';
import {
  cardNumberError,
  cvvError,
  expiryError,
  formatCardNumber,
  formatExpiry,
  nameError,
  networkLabel,
  parseExpiry,
  vpaError,
} from '../internal/card-fields.js';
import { formatAmount, upiAmount } from '../internal/format-amount.js';
import { newIdempotencyKey } from '../internal/idempotency-key.js';
import { pollUntilSettled } from '../internal/poll-payment.js';
import { buildUpiIntent, qrCodePath } from '../internal/upi-intent.js';
import { checkoutEvent } from './events.js';
import { payCheckoutStyles } from './pay-checkout.styles.js';

/** Which screen the checkout shows. */
export type CheckoutView = 'loading' | 'load-error' | 'already-paid' | 'form' | 'processing' | 'success' | 'failed';
export type PaymentMethodTab = 'upi' | 'card';
type FieldName = 'vpa' | 'number' | 'expiry' | 'cvv' | 'name';

/** How long a UPI QR code is offered before the shopper is asked to refresh it. */
export const UPI_QR_LIFETIME_S = 300;

const FIELD_OF_API: Record<string, FieldName> = {
  vpa: 'vpa',
  'card.number': 'number',
  'card.expiry_month': 'expiry',
  'card.expiry_year': 'expiry',
  'card.cvv': 'cvv',
  'card.name': 'name',
};

/**
 * Pays one order: loads it, offers UPI (QR code, UPI ID) and card, validates as the shopper types,
 * pays with an `Idempotency-Key` per attempt, follows the payment to its outcome and shows it.
 * It talks only to the public checkout API with the merchant's public key.
 *
 * @summary Paygate checkout for one order.
 * @fires pay-success - `{paymentId, orderId, status}` when the payment succeeded.
 * @fires pay-failure - `{error, paymentId}` when the payment failed.
 * @fires pay-close - when a `dismissible` checkout is closed by the shopper (Close button, Escape).
 * @csspart base - the card around everything.
 * @csspart header - merchant name and amount.
 * @csspart tabs - the UPI / Card tab list.
 * @csspart input - every text field.
 * @csspart pay-button - the Pay button.
 * @csspart result - the success or failure view.
 * @cssproperty --pay-accent - buttons, selected tab, focus ring.
 * @cssproperty --pay-bg - background. @cssproperty --pay-fg - text.
 * @cssproperty --pay-radius - corner radius. @cssproperty --pay-font - font stack.
 */
export class PayCheckout extends LitElement {
  static override styles = payCheckoutStyles;

  static override properties = {
    orderId: { type: String, attribute: 'order-id' },
    key: { type: String },
    apiBase: { type: String, attribute: 'api-base' },
    dismissible: { type: Boolean },
    view: { state: true },
    tab: { state: true },
    order: { state: true },
    payment: { state: true },
    values: { state: true },
    touched: { state: true },
    submitting: { state: true },
    formError: { state: true },
    qrSecondsLeft: { state: true },
  };

  /**
   * Where the API is when `api-base` is not given: checkout.js sets it to its own origin, so a
   * page that loads the script from the gateway needs nothing else; otherwise the page's origin.
   */
  static defaultApiBase: string | undefined;

  /** The order to pay (`order-id`). */
  declare orderId: string;
  /** The merchant's public key (`key_…`), never the secret. */
  declare key: string;
  /** The gateway's origin (`api-base`); see {@link PayCheckout.defaultApiBase}. */
  declare apiBase: string | undefined;
  /** Shows a Close button on the result and lets Escape fire `pay-close` (the modal sets it). */
  declare dismissible: boolean;

  declare private view: CheckoutView;
  declare private tab: PaymentMethodTab;
  declare private order: CheckoutOrder | null;
  declare private payment: CheckoutPayment | null;
  declare private values: Record<FieldName, string>;
  declare private touched: Partial<Record<FieldName, boolean>>;
  declare private submitting: boolean;
  declare private formError: string;
  declare private qrSecondsLeft: number;

  private loadError: CheckoutApiError | null = null;
  /** The key of the attempt in progress: kept while the shopper retries the same request, renewed when anything changes. */
  private attemptKey: string | null = null;
  private polling: AbortController | null = null;
  private qrTimer: ReturnType<typeof setInterval> | undefined;
  private focusResultAfterRender = false;
  /** The QR code of the current UPI intent: the countdown re-renders every second, the code needs drawing once. */
  private qr: { text: string; size: number; path: string } | null = null;

  constructor() {
    super();
    this.orderId = '';
    this.key = '';
    this.apiBase = undefined;
    this.dismissible = false;
    this.view = 'loading';
    this.tab = 'upi';
    this.order = null;
    this.payment = null;
    this.values = { vpa: '', number: '', expiry: '', cvv: '', name: '' };
    this.touched = {};
    this.submitting = false;
    this.formError = '';
    this.qrSecondsLeft = UPI_QR_LIFETIME_S;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onHostKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onHostKeydown);
    this.polling?.abort();
    this.stopQrTimer();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('orderId') || changed.has('key') || changed.has('apiBase')) && this.orderId && this.key) void this.loadOrder();
  }

  protected override updated(): void {
    if (this.focusResultAfterRender) {
      this.focusResultAfterRender = false;
      this.renderRoot.querySelector<HTMLElement>('.status h2')?.focus();
    }
  }

  /** Every element a keyboard reaches inside the checkout, in order (the modal wraps focus with it). */
  focusableElements(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('button:not([disabled]), input:not([disabled]), a[href], [tabindex="0"]')];
  }

  private get api(): CheckoutApi {
    const base = this.apiBase ?? PayCheckout.defaultApiBase ?? globalThis.location.origin;
    return createCheckoutApi({ apiBase: base, key: this.key });
  }

  private async loadOrder(): Promise<void> {
    this.view = 'loading';
    this.polling?.abort();
    try {
      const order = await this.api.getOrder(this.orderId);
      this.order = order;
      if (order.currency !== 'INR') this.tab = 'card';
      this.view = order.status === 'paid' ? 'already-paid' : 'form';
      this.startQrTimer();
    } catch (error) {
      this.loadError = error instanceof CheckoutApiError ? error : new CheckoutApiError('SERVER_ERROR', 'The order could not be loaded.', 0);
      this.view = 'load-error';
    }
  }

  private startQrTimer(): void {
    this.stopQrTimer();
    this.qrSecondsLeft = UPI_QR_LIFETIME_S;
    this.qrTimer = setInterval(() => {
      this.qrSecondsLeft = Math.max(0, this.qrSecondsLeft - 1);
      if (this.qrSecondsLeft === 0) this.stopQrTimer();
    }, 1000);
  }

  private stopQrTimer(): void {
    if (this.qrTimer !== undefined) clearInterval(this.qrTimer);
    this.qrTimer = undefined;
  }

  private errorOf(field: FieldName, complete = this.touched[field] === true): string | null {
    const v = this.values[field];
    switch (field) {
      case 'vpa':
        return vpaError(v, complete);
      case 'number':
        return cardNumberError(v, complete);
      case 'expiry':
        return expiryError(v, new Date(), complete);
      case 'cvv':
        return cvvError(v, this.values.number, complete);
      case 'name':
        return nameError(v, complete);
    }
  }

  private setValue(field: FieldName, value: string): void {
    this.values = { ...this.values, [field]: value };
    this.formError = '';
    // Different details make a different attempt: it needs its own key.
    this.attemptKey = null;
  }

  private onInput(field: FieldName, event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    let value = input.value;
    if (field === 'number') value = formatCardNumber(value);
    if (field === 'expiry') value = formatExpiry(value, event.inputType?.startsWith('delete') ?? false);
    if (field === 'cvv') value = value.replace(/\D/g, '').slice(0, 4);
    // Keep the caret at the end when formatting changed what was typed (digits only grow there).
    if (value !== input.value) input.value = value;
    this.setValue(field, value);
  }

  private onBlur(field: FieldName): void {
    if (this.values[field] !== '') this.touched = { ...this.touched, [field]: true };
  }

  private onTabKeydown(event: KeyboardEvent): void {
    const tabs: PaymentMethodTab[] = this.order?.currency === 'INR' ? ['upi', 'card'] : ['card'];
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const at = tabs.indexOf(this.tab);
    const next =
      event.key === 'Home'
        ? tabs[0]!
        : event.key === 'End'
          ? tabs[tabs.length - 1]!
          : tabs[(at + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
    this.selectTab(next);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  }

  private selectTab(tab: PaymentMethodTab): void {
    if (this.tab === tab) return;
    this.tab = tab;
    this.formError = '';
    this.attemptKey = null;
  }

  private readonly onHostKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.dismissible) {
      event.stopPropagation();
      this.dispatchEvent(checkoutEvent('pay-close', {}));
    }
  };

  private cardInput(): CheckoutPaymentInput | null {
    const fields: FieldName[] = ['number', 'expiry', 'cvv', 'name'];
    this.touched = { ...this.touched, number: true, expiry: true, cvv: true, name: true };
    const firstInvalid = fields.find((f) => this.errorOf(f, true) !== null);
    if (firstInvalid) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#${firstInvalid}`)?.focus());
      return null;
    }
    const expiry = parseExpiry(this.values.expiry)!;
    return {
      order_id: this.orderId,
      method: 'card',
      card: {
        number: this.values.number.replace(/\D/g, ''),
        expiry_month: expiry.month,
        expiry_year: expiry.year,
        cvv: this.values.cvv,
        name: this.values.name.trim(),
      },
    };
  }

  private vpaInput(vpa?: string): CheckoutPaymentInput | null {
    if (vpa !== undefined) return { order_id: this.orderId, method: 'upi', vpa };
    this.touched = { ...this.touched, vpa: true };
    if (this.errorOf('vpa', true) !== null) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#vpa')?.focus());
      return null;
    }
    return { order_id: this.orderId, method: 'upi', vpa: this.values.vpa.trim() };
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    this.pay(this.tab === 'card' ? this.cardInput() : this.vpaInput());
  }

  /** The test-mode bank step: the shopper's UPI app approving or declining, played by a magic VPA. */
  private onMockBank(outcome: 'success' | 'failure'): void {
    this.attemptKey = null;
    this.pay(this.vpaInput(`${outcome}@paygate`));
  }

  private pay(input: CheckoutPaymentInput | null): void {
    // The button is disabled while submitting; this guard also covers a second click or Enter
    // that arrives before the re-render.
    if (input === null || this.submitting) return;
    this.submitting = true;
    this.formError = '';
    this.attemptKey ??= newIdempotencyKey();
    void this.submitPayment(input, this.attemptKey);
  }

  private async submitPayment(input: CheckoutPaymentInput, idempotencyKey: string): Promise<void> {
    let payment: CheckoutPayment;
    try {
      payment = await this.api.createPayment(input, idempotencyKey);
    } catch (error) {
      this.submitting = false;
      this.showRequestError(error);
      return;
    }
    this.submitting = false;
    this.payment = payment;
    this.view = 'processing';
    this.stopQrTimer();
    this.polling?.abort();
    const polling = new AbortController();
    this.polling = polling;
    try {
      const settled = payment.status === 'pending' ? await pollUntilSettled(() => this.api.getPayment(payment.id), { signal: polling.signal }) : payment;
      if (polling.signal.aborted) return;
      this.settle(
        settled ?? {
          ...payment,
          status: 'failed',
          error_description: 'We could not confirm the payment in time. Check with the merchant before paying again.',
        },
      );
    } catch {
      // Aborted: the element was removed or a new order was loaded.
    }
  }

  private showRequestError(error: unknown): void {
    const apiError = error instanceof CheckoutApiError ? error : null;
    const field = apiError?.field ? FIELD_OF_API[apiError.field] : undefined;
    // The gateway's own validation found what the browser's did not (e.g. its clock): show it by the field.
    if (field) this.touched = { ...this.touched, [field]: true };
    this.formError = apiError?.description ?? 'The payment could not be started. Try again.';
    if (apiError?.code === 'IDEMPOTENCY_IN_FLIGHT_ERROR') this.formError = 'This payment is already being processed. Wait a moment.';
  }

  private settle(payment: CheckoutPayment): void {
    this.payment = payment;
    this.attemptKey = null;
    this.focusResultAfterRender = true;
    if (payment.status === 'success') {
      this.view = 'success';
      this.dispatchEvent(checkoutEvent('pay-success', { paymentId: payment.id, orderId: payment.order_id, status: 'success' }));
    } else {
      this.view = 'failed';
      this.dispatchEvent(checkoutEvent('pay-failure', { error: payment.error_description ?? 'The payment failed.', paymentId: payment.id }));
    }
  }

  private tryAgain(): void {
    this.view = 'form';
    this.payment = null;
    this.formError = '';
    this.attemptKey = null;
    this.startQrTimer();
    void this.updateComplete.then(() => {
      const target = this.tab === 'card' ? '#number' : '#vpa';
      this.renderRoot.querySelector<HTMLInputElement>(target)?.focus();
    });
  }

  private close(): void {
    this.dispatchEvent(checkoutEvent('pay-close', {}));
  }

  private get amountText(): string {
    return this.order ? formatAmount(this.order.amount, this.order.currency) : '';
  }

  private renderHeader(): TemplateResult {
    const order = this.order!;
    return html`
      <div class="header" part="header">
        <div>
          <p class="merchant">${order.merchant_name}</p>
          <span class="order-id mono">${order.id}</span>
        </div>
        <p class="amount">${this.amountText}</p>
      </div>
      ${order.test_mode ? this.renderTestBanner() : nothing}
    `;
  }

  private renderTestBanner(): TemplateResult {
    const upi = MAGIC_VALUES.filter((m) => m.method === 'upi').map((m) => m.value);
    const good = '4111 1111 1111 1111';
    const declined = '4000 0000 0000 0002';
    return html`<p class="banner" role="note">
      <strong>Test mode</strong>: no real money moves. UPI ID <code>${upi[0]}</code> succeeds, <code>${upi[1]}</code> fails. Card <code>${good}</code> succeeds,
      <code>${declined}</code> is declined; any future expiry and CVV.
    </p>`;
  }

  private renderField(
    field: FieldName,
    label: string,
    attrs: { autocomplete: string; inputmode?: string; placeholder?: string; maxlength?: number },
    extra: unknown = nothing,
  ): TemplateResult {
    const error = this.errorOf(field);
    return html`
      <div class="field">
        <label for=${field}>${label}</label>
        <div class="input-wrap">
          <input
            id=${field}
            name=${field}
            part="input"
            .value=${this.values[field]}
            autocomplete=${attrs.autocomplete}
            inputmode=${attrs.inputmode ?? 'text'}
            placeholder=${attrs.placeholder ?? ''}
            maxlength=${attrs.maxlength ?? 256}
            spellcheck="false"
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${`${field}-error`}
            @input=${(e: InputEvent) => this.onInput(field, e)}
            @blur=${() => this.onBlur(field)}
          />
          ${extra}
        </div>
        <p class="error" id=${`${field}-error`} aria-live="polite">${error ?? ''}</p>
      </div>
    `;
  }

  private renderPayButton(): TemplateResult {
    return html`<button class="pay" part="pay-button" type="submit" ?disabled=${this.submitting} aria-busy=${this.submitting ? 'true' : 'false'}>
      ${this.submitting ? `Paying ${this.amountText}…` : `Pay ${this.amountText}`}
    </button>`;
  }

  private renderUpi(): TemplateResult {
    const order = this.order!;
    const intent = buildUpiIntent({
      payeeVpa: order.upi_vpa ?? 'paygate@paygate',
      payeeName: order.merchant_name,
      amount: upiAmount(order.amount),
      note: `Order ${order.id}`,
    });
    const expired = this.qrSecondsLeft === 0;
    const minutes = Math.floor(this.qrSecondsLeft / 60);
    const seconds = String(this.qrSecondsLeft % 60).padStart(2, '0');
    if (this.qr?.text !== intent) this.qr = { text: intent, ...qrCodePath(intent) };
    const qr = this.qr;
    return html`
      <div class="qr">
        ${
          expired
            ? html`<button class="secondary" type="button" @click=${() => this.startQrTimer()}>Show a new QR code</button>`
            : svg`<svg viewBox="0 0 ${qr.size} ${qr.size}" role="img" aria-label=${`UPI QR code to pay ${this.amountText}`} shape-rendering="crispEdges"><path fill="#000" d=${qr.path}></path></svg>`
        }
        <div class="qr-text">
          <p><strong>Scan with any UPI app</strong></p>
          <p class="muted" aria-hidden="true">${expired ? 'The QR code expired.' : `Expires in ${minutes}:${seconds}`}</p>
          <a class="upi-app" href=${intent}>Open UPI app</a>
        </div>
      </div>
      ${
        order.test_mode
          ? html`<div class="mock-bank" role="group" aria-label="Test bank">
              <p>Test mode: answer as the shopper's UPI app would.</p>
              <div class="actions">
                <button class="secondary" type="button" ?disabled=${this.submitting} @click=${() => this.onMockBank('success')}>Succeed</button>
                <button class="secondary" type="button" ?disabled=${this.submitting} @click=${() => this.onMockBank('failure')}>Fail</button>
              </div>
            </div>`
          : nothing
      }
      <div class="divider">or pay with your UPI ID</div>
      ${this.renderField('vpa', 'UPI ID', { autocomplete: 'off', inputmode: 'email', placeholder: 'name@bank', maxlength: 321 })}
    `;
  }

  private renderCard(): TemplateResult {
    const network = detectCardNetwork(this.values.number.replace(/\D/g, ''));
    const cvvLength = network === 'amex' ? 4 : 3;
    return html`
      ${this.renderField(
        'number',
        'Card number',
        { autocomplete: 'cc-number', inputmode: 'numeric', placeholder: '1234 1234 1234 1234', maxlength: 23 },
        network === 'unknown' ? nothing : html`<span class="network" data-network=${network}>${networkLabel(network)}</span>`,
      )}
      <div class="row">
        ${this.renderField('expiry', 'Expiry (MM/YY)', { autocomplete: 'cc-exp', inputmode: 'numeric', placeholder: 'MM/YY', maxlength: 5 })}
        ${this.renderField('cvv', 'CVV', { autocomplete: 'cc-csc', inputmode: 'numeric', placeholder: '•'.repeat(cvvLength), maxlength: 4 })}
      </div>
      ${this.renderField('name', 'Name on card', { autocomplete: 'cc-name', placeholder: 'As printed on the card', maxlength: 100 })}
    `;
  }

  private renderForm(): TemplateResult {
    const tabs: Array<[PaymentMethodTab, string]> =
      this.order?.currency === 'INR'
        ? [
            ['upi', 'UPI'],
            ['card', 'Card'],
          ]
        : [['card', 'Card']];
    return html`
      <div role="tablist" aria-label="Payment method" part="tabs" @keydown=${this.onTabKeydown}>
        ${tabs.map(
          ([id, label]) =>
            html`<button
              role="tab"
              type="button"
              id=${`tab-${id}`}
              aria-selected=${this.tab === id ? 'true' : 'false'}
              aria-controls="panel"
              tabindex=${this.tab === id ? 0 : -1}
              @click=${() => this.selectTab(id)}
            >
              ${label}
            </button>`,
        )}
      </div>
      <form id="panel" role="tabpanel" aria-labelledby=${`tab-${this.tab}`} novalidate @submit=${this.onSubmit}>
        ${this.tab === 'upi' ? this.renderUpi() : this.renderCard()} ${this.formError ? html`<p class="alert" role="alert">${this.formError}</p>` : nothing}
        ${this.renderPayButton()}
      </form>
    `;
  }

  private renderStatus(): TemplateResult {
    const payment = this.payment;
    if (this.view === 'processing') {
      return html`<div class="status" part="result">
        <div class="spinner" aria-hidden="true"></div>
        <h2>Processing payment…</h2>
        <p class="muted">${payment?.method === 'upi' ? 'Approve the request in your UPI app.' : 'Waiting for your bank.'} Do not close this page.</p>
        ${payment ? html`<p class="muted mono">${payment.id}</p>` : nothing}
      </div>`;
    }
    const success = this.view === 'success';
    return html`<div class=${`status ${success ? 'success' : 'failed'}`} part="result">
      ${
        success
          ? svg`<svg class="icon" viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="22" fill="currentColor" opacity=".15"/><path d="M14 25l7 7 13-15" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>`
          : svg`<svg class="icon" viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="22" fill="currentColor" opacity=".15"/><path d="M16 16l16 16M32 16L16 32" stroke="currentColor" stroke-width="4" stroke-linecap="round"/></svg>`
      }
      <h2 tabindex="-1">${success ? 'Payment successful' : 'Payment failed'}</h2>
      ${
        success
          ? html`<p>${this.amountText} paid to ${this.order?.merchant_name}.</p>`
          : html`<p>${payment?.error_description ?? 'The payment could not be completed.'}</p>`
      }
      ${payment ? html`<p class="muted">Payment ID <span class="mono" data-payment-id>${payment.id}</span></p>` : nothing}
      <div class="actions center">
        ${success ? nothing : html`<button class="primary" type="button" @click=${this.tryAgain}>Try again</button>`}
        ${this.dismissible ? html`<button class="secondary" type="button" @click=${this.close}>Close</button>` : nothing}
      </div>
    </div>`;
  }

  private renderBody(): TemplateResult {
    switch (this.view) {
      case 'loading':
        return html`<div class="status">
          <div class="spinner" aria-hidden="true"></div>
          <p>Loading the order…</p>
        </div>`;
      case 'load-error':
        return html`<div class="status failed" part="result">
          <h2>We could not load this order</h2>
          <p>${this.loadError?.description}</p>
          <button class="secondary" type="button" @click=${() => void this.loadOrder()}>Retry</button>
        </div>`;
      case 'already-paid':
        return html`${this.renderHeader()}
          <div class="status success" part="result"><h2>This order is already paid</h2></div>`;
      case 'form':
        return html`${this.renderHeader()}${this.renderForm()}`;
      default:
        return html`${this.renderHeader()}${this.renderStatus()}`;
    }
  }

  private statusMessage(): string {
    switch (this.view) {
      case 'processing':
        return 'Processing payment';
      case 'success':
        return `Payment successful. Payment ID ${this.payment?.id ?? ''}`;
      case 'failed':
        return `Payment failed. ${this.payment?.error_description ?? ''}`;
      case 'load-error':
        return 'The order could not be loaded';
      default:
        return this.submitting ? 'Submitting payment' : '';
    }
  }

  override render(): TemplateResult {
    return html`<section class="base" part="base" aria-label="Checkout" aria-busy=${this.view === 'loading' ? 'true' : 'false'}>
      ${this.renderBody()}
      <div class="visually-hidden" role="status" aria-live="polite">${this.statusMessage()}</div>
    </section>`;
  }
}

import { html, nothing } from 'lit';
import { ApiError, type Api, type Delivery, type GatewayEvent, type Order, type Payment, type Refund } from '../lib/api.js';
import type { EventFeed } from '../lib/event-feed.js';
import { paymentIdOf, statusClass } from '../lib/event-labels.js';
import { formatDateTime, formatMoney, parseMajorAmount, toMajorText } from '../lib/format.js';
import { LightElement } from '../lib/light-element.js';
import { BASE } from '../lib/router.js';
import { describeMethod } from './payments-page.js';
import '../components/delivery-table.js';

type Loaded = { payment: Payment; order: Order | undefined; events: GatewayEvent[]; deliveries: Delivery[]; refunds: Refund[] };

/** One payment: its order, every event in sequence, every webhook delivery with its attempts, and refunds. */
export class PaymentPage extends LightElement {
  static override properties = {
    api: { attribute: false },
    feed: { attribute: false },
    paymentId: { attribute: false },
    data: { state: true },
    notFound: { state: true },
    error: { state: true },
    refundMessage: { state: true },
    refunding: { state: true },
  };

  declare api: Api;
  declare feed: EventFeed;
  declare paymentId: string;
  declare data: Loaded | undefined;
  declare notFound: boolean;
  declare error: string | undefined;
  declare refundMessage: { text: string; isError: boolean } | undefined;
  declare refunding: boolean;
  private unsubscribe: (() => void) | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  /** One key per refund the person means to make: a double click or a retry after a lost answer refunds once. */
  private refundKey = crypto.randomUUID();

  constructor() {
    super();
    this.data = undefined;
    this.notFound = false;
    this.error = undefined;
    this.refundMessage = undefined;
    this.refunding = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.feed.subscribe((event) => {
      if (paymentIdOf(event) === this.paymentId) void this.load();
    });
    // Delivery attempts make no events: re-read while some are still pending.
    this.poll = setInterval(() => {
      if (this.data?.deliveries.some((d) => d.status === 'pending') || this.data?.payment.status === 'pending') void this.load();
    }, 2_000);
  }

  override disconnectedCallback(): void {
    this.unsubscribe?.();
    clearInterval(this.poll);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('paymentId')) {
      this.data = undefined;
      this.notFound = false;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    const id = this.paymentId;
    try {
      const payment = await this.api.getPayment(id);
      const [order, events, deliveries, refunds] = await Promise.all([
        this.api.getOrder(payment.order_id).catch(() => undefined),
        this.api.listEvents({ limit: 100, payment_id: id }),
        this.api.listDeliveries({ limit: 100, offset: 0, payment_id: id }),
        this.api.listRefunds(id),
      ]);
      if (id !== this.paymentId) return;
      this.data = { payment, order, events: [...events.data].sort((a, b) => a.sequence - b.sequence), deliveries: deliveries.data, refunds: refunds.data };
      this.error = undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) this.notFound = true;
      else this.error = error instanceof ApiError ? error.description : 'Could not load the payment.';
    }
  }

  private async refund(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const payment = this.data!.payment;
    const form = new FormData(event.target as HTMLFormElement);
    const full = form.get('kind') === 'full';
    let amount: number | undefined;
    if (!full) {
      amount = parseMajorAmount(String(form.get('amount') ?? ''), payment.currency);
      if (amount === undefined) {
        this.refundMessage = { text: `Enter an amount such as ${toMajorText(Math.min(100, payment.refundable_amount), payment.currency)}.`, isError: true };
        return;
      }
      if (amount > payment.refundable_amount) {
        this.refundMessage = { text: `At most ${formatMoney(payment.refundable_amount, payment.currency)} can still be refunded.`, isError: true };
        return;
      }
    }
    this.refunding = true;
    try {
      const refund = await this.api.createRefund(payment.id, amount, this.refundKey);
      this.refundKey = crypto.randomUUID();
      this.refundMessage = { text: `Refund ${refund.id} of ${formatMoney(refund.amount, refund.currency)} created; it is ${refund.status}.`, isError: false };
      (event.target as HTMLFormElement).reset();
      await this.load();
    } catch (error) {
      this.refundMessage = { text: error instanceof ApiError ? error.description : 'The refund could not be created. Try again.', isError: true };
    } finally {
      this.refunding = false;
    }
  }

  override render() {
    if (this.notFound) {
      return html`<section class="page">
        <h1>Payment not found</h1>
        <p class="empty card" data-test-id="payment-not-found">
          No payment <code>${this.paymentId}</code> for this merchant. Check the id, or find it in <a href="${BASE}/payments">Payments</a>.
        </p>
      </section>`;
    }
    if (this.error) return html`<section class="page"><p class="error" role="alert">${this.error} Reload the page to try again.</p></section>`;
    if (!this.data) return html`<section class="page"><p class="muted">Loading payment…</p></section>`;
    const { payment: p, order } = this.data;
    return html`
      <section class="page" data-test-id="payment-page">
        <p class="crumbs"><a href="${BASE}/payments">Payments</a> /</p>
        <h1><code>${p.id}</code> <span class=${statusClass(p.status)} data-test-id="payment-status">${p.status}</span></h1>
        <div class="columns">
          <article class="card">
            <h2>Payment</h2>
            <dl class="facts">
              <div>
                <dt>Amount</dt>
                <dd data-test-id="payment-amount">${formatMoney(p.amount, p.currency)}</dd>
              </div>
              <div>
                <dt>Refunded</dt>
                <dd data-test-id="payment-refunded">${formatMoney(p.amount_refunded, p.currency)}</dd>
              </div>
              <div>
                <dt>Method</dt>
                <dd>${describeMethod(p)}</dd>
              </div>
              <div>
                <dt>Captured</dt>
                <dd>${p.captured ? 'Yes' : 'No'}</dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>${formatDateTime(p.created_at)}</dd>
              </div>
              ${
                p.error_code
                  ? html`<div>
                      <dt>Error</dt>
                      <dd>${p.error_code}: ${p.error_description}</dd>
                    </div>`
                  : nothing
              }
            </dl>
          </article>
          <article class="card">
            <h2>Order</h2>
            ${
              order
                ? html`<dl class="facts" data-test-id="payment-order">
                    <div>
                      <dt>Order</dt>
                      <dd><code>${order.id}</code></dd>
                    </div>
                    <div>
                      <dt>Amount</dt>
                      <dd>${formatMoney(order.amount, order.currency)}</dd>
                    </div>
                    <div>
                      <dt>Receipt</dt>
                      <dd>${order.receipt ?? '—'}</dd>
                    </div>
                    <div>
                      <dt>Status</dt>
                      <dd><span class=${statusClass(order.status)}>${order.status}</span></dd>
                    </div>
                    <div>
                      <dt>Created</dt>
                      <dd>${formatDateTime(order.created_at)}</dd>
                    </div>
                  </dl>`
                : html`<p class="muted">Order <code>${p.order_id}</code> could not be read.</p>`
            }
          </article>
        </div>
        ${this.renderRefund()} ${this.renderTimeline()}
        <article class="card">
          <h2>Webhook deliveries</h2>
          <pg-delivery-table
            .api=${this.api}
            .deliveries=${this.data.deliveries}
            .linkPayments=${false}
            @changed=${() => this.load()}
            .emptyText=${'No webhook deliveries for this payment: no webhook URL was set when its events happened. Set one on the Webhooks page.'}
          ></pg-delivery-table>
        </article>
      </section>
    `;
  }

  private renderRefund() {
    const { payment: p, refunds } = this.data!;
    return html`
      <article class="card" data-test-id="refund-section">
        <h2>Refunds</h2>
        <p>
          Refundable now: <strong data-test-id="refundable-amount">${formatMoney(p.refundable_amount, p.currency)}</strong>
          ${p.status !== 'success' ? html`<span class="muted">(only a successful payment can be refunded)</span>` : nothing}
        </p>
        ${
          p.refundable_amount > 0
            ? html`<form class="refund-form" @submit=${this.refund} data-test-id="refund-form">
                <fieldset>
                  <legend class="visually-hidden">Refund</legend>
                  <label class="choice"><input type="radio" name="kind" value="partial" checked /> Partial</label>
                  <label class="choice"><input type="radio" name="kind" value="full" /> Full (${formatMoney(p.refundable_amount, p.currency)})</label>
                </fieldset>
                <label for="refund-amount">Amount (${p.currency})</label>
                <input
                  id="refund-amount"
                  name="amount"
                  inputmode="decimal"
                  placeholder=${toMajorText(p.refundable_amount, p.currency)}
                  data-test-id="refund-amount-input"
                />
                <button type="submit" ?disabled=${this.refunding} data-test-id="refund-button">${this.refunding ? 'Refunding…' : 'Refund'}</button>
              </form>`
            : nothing
        }
        ${
          this.refundMessage
            ? html`<p
                role=${this.refundMessage.isError ? 'alert' : 'status'}
                class=${this.refundMessage.isError ? 'error' : 'ok'}
                data-test-id="refund-message"
              >
                ${this.refundMessage.text}
              </p>`
            : nothing
        }
        ${
          refunds.length > 0
            ? html`<ul class="plain" data-test-id="refund-list">
                ${refunds.map(
                  (r) =>
                    html`<li>
                      <code>${r.id}</code> ${formatMoney(r.amount, r.currency)} <span class=${statusClass(r.status)}>${r.status}</span>
                      <span class="muted">${formatDateTime(r.created_at)}</span>
                    </li>`,
                )}
              </ul>`
            : nothing
        }
      </article>
    `;
  }

  private renderTimeline() {
    const events = this.data!.events;
    return html`
      <article class="card">
        <h2>Timeline</h2>
        ${
          events.length === 0
            ? html`<p class="empty">No events recorded for this payment yet.</p>`
            : html`<ol class="timeline" data-test-id="payment-timeline">
                ${events.map(
                  (e) =>
                    html`<li data-test-id="timeline-event">
                      <span class="seq" title="Sequence within this payment">#${e.sequence}</span>
                      <code class="event-name">${e.event}</code>
                      <time datetime=${e.timestamp}>${formatDateTime(e.timestamp)}</time>
                      <code class="muted small">${e.id}</code>
                    </li>`,
                )}
              </ol>`
        }
      </article>
    `;
  }
}

customElements.get('pg-payment-page') || customElements.define('pg-payment-page', PaymentPage);

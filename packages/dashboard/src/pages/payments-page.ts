import { html, nothing } from 'lit';
import { ApiError, type Api, type List, type Payment, type PaymentFilters } from '../lib/api.js';
import type { EventFeed } from '../lib/event-feed.js';
import { statusClass } from '../lib/event-labels.js';
import { formatDateTime, formatMoney } from '../lib/format.js';
import { LightElement } from '../lib/light-element.js';
import { BASE, navigate } from '../lib/router.js';

const PAGE_SIZE = 20;

/** The date inputs are local days: from the start of the first to the end of the last, in the browser's zone. */
function dayStart(value: string): string | undefined {
  return value ? new Date(`${value}T00:00:00`).toISOString() : undefined;
}
function dayEnd(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(`${value}T00:00:00`);
  d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export function describeMethod(p: Payment): string {
  return p.method === 'upi' ? `UPI ${p.vpa ?? ''}` : `Card ${p.card_network ?? ''} •••• ${p.card_last4 ?? ''}`;
}

/** Every payment, newest first, a page at a time, narrowed by status, method, day range, or an id. */
export class PaymentsPage extends LightElement {
  static override properties = {
    api: { attribute: false },
    feed: { attribute: false },
    list: { state: true },
    error: { state: true },
    filters: { state: true },
    searchError: { state: true },
  };

  declare api: Api;
  declare feed: EventFeed;
  declare list: List<Payment> | undefined;
  declare error: string | undefined;
  declare filters: { status: string; method: string; from: string; to: string; orderId: string; offset: number };
  declare searchError: string | undefined;
  private unsubscribe: (() => void) | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.list = undefined;
    this.error = undefined;
    this.searchError = undefined;
    this.filters = { status: '', method: '', from: '', to: '', orderId: '', offset: 0 };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    // New and settled payments show up on the first page as they happen.
    this.unsubscribe = this.feed.subscribe((event) => {
      if (!event.event.startsWith('payment.') && !event.event.startsWith('refund.')) return;
      if (this.filters.offset !== 0) return;
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.load(), 250);
    });
  }

  override disconnectedCallback(): void {
    this.unsubscribe?.();
    clearTimeout(this.refreshTimer);
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    const f = this.filters;
    const query: PaymentFilters = {
      limit: PAGE_SIZE,
      offset: f.offset,
      status: f.status || undefined,
      method: f.method === 'upi' || f.method === 'card' ? f.method : undefined,
      order_id: f.orderId || undefined,
      created_from: dayStart(f.from),
      created_to: dayEnd(f.to),
    };
    try {
      this.list = await this.api.listPayments(query);
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof ApiError ? `${error.description}` : 'Could not load payments.';
    }
  }

  private onFilter(event: Event): void {
    event.preventDefault();
    const form = new FormData((event.target as HTMLElement).closest('form')!);
    this.filters = {
      status: String(form.get('status') ?? ''),
      method: String(form.get('method') ?? ''),
      from: String(form.get('from') ?? ''),
      to: String(form.get('to') ?? ''),
      orderId: this.filters.orderId,
      offset: 0,
    };
    void this.load();
  }

  /** A payment id opens that payment; an order id lists the order's payments. */
  private onSearch(event: SubmitEvent): void {
    event.preventDefault();
    const id = String(new FormData(event.target as HTMLFormElement).get('q') ?? '').trim();
    this.searchError = undefined;
    if (id.startsWith('pay_')) {
      navigate(`${BASE}/payments/${encodeURIComponent(id)}`);
    } else if (id.startsWith('order_') || id === '') {
      this.filters = { ...this.filters, orderId: id, offset: 0 };
      void this.load();
    } else {
      this.searchError = 'Enter a payment id (pay_…) or an order id (order_…).';
    }
  }

  private page(delta: number): void {
    this.filters = { ...this.filters, offset: Math.max(0, this.filters.offset + delta * PAGE_SIZE) };
    void this.load();
  }

  private clear(): void {
    this.filters = { status: '', method: '', from: '', to: '', orderId: '', offset: 0 };
    this.querySelectorAll('form').forEach((f) => f.reset());
    void this.load();
  }

  override render() {
    const f = this.filters;
    return html`
      <section class="page" data-test-id="payments-page">
        <h1>Payments</h1>
        <div class="card toolbar">
          <form class="search" role="search" @submit=${this.onSearch}>
            <label for="payment-search">Find by id</label>
            <input id="payment-search" name="q" placeholder="pay_… or order_…" spellcheck="false" data-test-id="payment-search-input" .value=${f.orderId} />
            <button type="submit" class="secondary">Find</button>
          </form>
          ${this.searchError ? html`<p class="error" role="alert">${this.searchError}</p>` : nothing}
          <form class="filters" @change=${this.onFilter} @submit=${this.onFilter} data-test-id="payment-filters">
            <div class="field">
              <label for="filter-status">Status</label>
              <select id="filter-status" name="status" data-test-id="filter-status">
                <option value="">Any</option>
                <option value="pending">Pending</option>
                <option value="success">Succeeded</option>
                <option value="failed">Failed</option>
              </select>
            </div>
            <div class="field">
              <label for="filter-method">Method</label>
              <select id="filter-method" name="method" data-test-id="filter-method">
                <option value="">Any</option>
                <option value="upi">UPI</option>
                <option value="card">Card</option>
              </select>
            </div>
            <div class="field">
              <label for="filter-from">From</label>
              <input id="filter-from" name="from" type="date" data-test-id="filter-from" />
            </div>
            <div class="field">
              <label for="filter-to">To</label>
              <input id="filter-to" name="to" type="date" data-test-id="filter-to" />
            </div>
            <button type="button" class="link" @click=${this.clear}>Clear filters</button>
          </form>
        </div>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing} ${this.renderTable()}
      </section>
    `;
  }

  private renderTable() {
    const list = this.list;
    if (!list) return html`<p class="muted">Loading payments…</p>`;
    const filtered = Object.entries(this.filters).some(([k, v]) => k !== 'offset' && v !== '');
    if (list.data.length === 0) {
      return html`<p class="empty card" data-test-id="payments-empty">
        ${
          filtered
            ? 'No payment matches these filters. Clear the filters or widen the dates.'
            : html`No payments yet. Create an order and pay it through the API or the checkout; see <a href="${BASE}/docs">API docs</a>.`
        }
      </p>`;
    }
    const first = list.offset + 1;
    const last = list.offset + list.data.length;
    return html`
      <div class="table-wrap card">
        <table data-test-id="payments-table">
          <caption class="visually-hidden">
            Payments, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Payment</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
              <th scope="col">Method</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            ${list.data.map(
              (p) =>
                html`<tr data-test-id="payment-row">
                  <td data-label="Payment">
                    <a href="${BASE}/payments/${p.id}"><code>${p.id}</code></a>
                  </td>
                  <td data-label="Amount" class="num">
                    ${formatMoney(p.amount, p.currency)}
                    ${p.amount_refunded > 0 ? html`<span class="muted small">(${formatMoney(p.amount_refunded, p.currency)} refunded)</span>` : nothing}
                  </td>
                  <td data-label="Status"><span class=${statusClass(p.status)}>${p.status}</span></td>
                  <td data-label="Method">${describeMethod(p)}</td>
                  <td data-label="Created"><time datetime=${p.created_at}>${formatDateTime(p.created_at)}</time></td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Pages of payments">
        <button type="button" class="secondary" ?disabled=${list.offset === 0} @click=${() => this.page(-1)}>Previous</button>
        <span>${first}–${last} of ${list.total}</span>
        <button type="button" class="secondary" ?disabled=${last >= list.total} @click=${() => this.page(1)}>Next</button>
      </nav>
    `;
  }
}

customElements.get('pg-payments-page') || customElements.define('pg-payments-page', PaymentsPage);

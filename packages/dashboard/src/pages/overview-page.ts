import { html, nothing } from 'lit';
import { ApiError, type Api, type GatewayEvent, type JobStatus, type Session, type Stats } from '../lib/api.js';
import type { EventFeed } from '../lib/event-feed.js';
import { describeEvent, paymentIdOf } from '../lib/event-labels.js';
import { formatMoney, formatPercent, formatTime, startOfToday } from '../lib/format.js';
import { LightElement } from '../lib/light-element.js';
import { BASE } from '../lib/router.js';

const LATEST = 15;
/** Queue counts change without events (jobs finishing): read them this often while the page is open. */
const QUEUE_POLL_MS = 5_000;

/** Newest first; events recorded together (payment.created and .pending share a time) by their sequence. */
function newestFirst(events: GatewayEvent[]): GatewayEvent[] {
  return [...events].sort((a, b) => b.timestamp.localeCompare(a.timestamp) || b.sequence - a.sequence).slice(0, LATEST);
}

/** Today's payments, success rate, money in and out, the queue, and the latest events, live. */
export class OverviewPage extends LightElement {
  static override properties = {
    api: { attribute: false },
    feed: { attribute: false },
    mode: { attribute: false },
    stats: { state: true },
    jobs: { state: true },
    events: { state: true },
    error: { state: true },
  };

  declare api: Api;
  declare feed: EventFeed;
  declare mode: Session['mode'];
  declare stats: Stats | undefined;
  declare jobs: JobStatus | undefined;
  declare events: GatewayEvent[] | undefined;
  declare error: string | undefined;
  private unsubscribe: (() => void) | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.stats = undefined;
    this.jobs = undefined;
    this.events = undefined;
    this.error = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.unsubscribe = this.feed.subscribe((event) => {
      if (this.events && !this.events.some((e) => e.id === event.id)) this.events = newestFirst([event, ...this.events]);
      this.scheduleRefresh();
    });
    if (this.mode !== 'production') this.poll = setInterval(() => void this.loadJobs(), QUEUE_POLL_MS);
  }

  override disconnectedCallback(): void {
    this.unsubscribe?.();
    clearInterval(this.poll);
    clearTimeout(this.refreshTimer);
    super.disconnectedCallback();
  }

  /** A burst of events (a batch of payments) makes one refresh, not one per event. */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.loadStats(), 250);
  }

  private async load(): Promise<void> {
    await Promise.all([this.loadStats(), this.loadJobs(), this.loadEvents()]);
  }

  private async loadStats(): Promise<void> {
    try {
      this.stats = await this.api.getStats(startOfToday());
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof ApiError ? `${error.description}` : 'Could not load the figures.';
    }
  }

  private async loadEvents(): Promise<void> {
    try {
      const fresh = (await this.api.listEvents({ limit: LATEST })).data;
      const seen = new Set(fresh.map((e) => e.id));
      // Events the stream brought while the list was loading stay.
      this.events = newestFirst([...(this.events ?? []).filter((e) => !seen.has(e.id)), ...fresh]);
    } catch {
      this.events = this.events ?? [];
    }
  }

  private async loadJobs(): Promise<void> {
    if (this.mode === 'production') return;
    try {
      this.jobs = await this.api.getJobStatus();
    } catch {
      this.jobs = undefined;
    }
  }

  private renderMoney(kind: 'collected' | 'refunded') {
    const rows = this.stats?.by_currency.filter((c) => c[kind] > 0) ?? [];
    if (!this.stats) return html`<span class="muted">…</span>`;
    if (rows.length === 0) return html`<span class="figure">—</span>`;
    return rows.map((c) => html`<span class="figure">${formatMoney(c[kind], c.currency)}</span>`);
  }

  private renderQueue() {
    if (this.mode === 'production') {
      return html`<p class="muted">Queue counts are shown in development and test mode. In production, scrape <code>/metrics</code> (Prometheus).</p>`;
    }
    if (!this.jobs) return html`<p class="muted">Loading queue counts…</p>`;
    const j = this.jobs;
    return html`
      <dl class="queue" data-test-id="queue-status">
        <div>
          <dt>Pending</dt>
          <dd>${j.pending}</dd>
        </div>
        <div>
          <dt>Processing</dt>
          <dd>${j.processing}</dd>
        </div>
        <div>
          <dt>Completed</dt>
          <dd>${j.completed}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>${j.failed}</dd>
        </div>
        <div>
          <dt>Workers</dt>
          <dd><span class=${j.worker_status === 'running' ? 'badge ok' : 'badge bad'} data-test-id="worker-status">${j.worker_status}</span></dd>
        </div>
      </dl>
    `;
  }

  override render() {
    const s = this.stats;
    return html`
      <section class="page" data-test-id="overview">
        <h1>Overview</h1>
        ${this.error ? html`<p class="error" role="alert">${this.error} Reload the page to try again.</p>` : nothing}
        <div class="cards">
          <article class="card stat">
            <h2>Payments today</h2>
            <span class="figure" data-test-id="payments-today">${s ? s.payments.total : '…'}</span>
            ${s ? html`<span class="muted">${s.payments.success} succeeded · ${s.payments.failed} failed · ${s.payments.pending} pending</span>` : nothing}
          </article>
          <article class="card stat">
            <h2>Success rate</h2>
            <span class="figure" data-test-id="success-rate">${s ? formatPercent(s.success_rate) : '…'}</span>
            <span class="muted">of today's settled payments</span>
          </article>
          <article class="card stat" data-test-id="amount-collected">
            <h2>Collected today</h2>
            ${this.renderMoney('collected')}
          </article>
          <article class="card stat" data-test-id="amount-refunded">
            <h2>Refunded today</h2>
            ${this.renderMoney('refunded')}
          </article>
        </div>
        <div class="columns">
          <article class="card">
            <h2>Queue and workers</h2>
            ${this.renderQueue()}
          </article>
          <article class="card">
            <h2>Latest events</h2>
            ${this.renderEvents()}
          </article>
        </div>
      </section>
    `;
  }

  private renderEvents() {
    if (!this.events) return html`<p class="muted">Loading…</p>`;
    if (this.events.length === 0) {
      return html`<p class="empty">No events yet. Create an order and a payment (<a href="${BASE}/docs">API docs</a>) and they appear here as they happen.</p>`;
    }
    return html`<ol class="events" data-test-id="latest-events" aria-live="polite">
      ${this.events.map((e) => {
        const paymentId = paymentIdOf(e);
        return html`<li data-test-id="event-item">
          <time datetime=${e.timestamp}>${formatTime(e.timestamp)}</time>
          <code class="event-name">${e.event}</code>
          ${paymentId ? html`<a href="${BASE}/payments/${paymentId}">${describeEvent(e)}</a>` : html`<span>${describeEvent(e)}</span>`}
        </li>`;
      })}
    </ol>`;
  }
}

customElements.get('pg-overview-page') || customElements.define('pg-overview-page', OverviewPage);

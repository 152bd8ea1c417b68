import { html, nothing } from 'lit';
import { ApiError, type Api, type Delivery } from '../lib/api.js';
import { paymentIdOf, statusClass } from '../lib/event-labels.js';
import { formatDateTime } from '../lib/format.js';
import { LightElement } from '../lib/light-element.js';
import { BASE } from '../lib/router.js';

const EXCERPT = 300;

/**
 * The delivery log (the seed's `webhook-logs-table`): one row per delivery with its status,
 * attempts, last attempt and response code, "Retry" for a delivery that is not scheduled, and
 * each attempt's details (latency, response excerpt, error) under a disclosure button.
 *
 * @fires changed - after a retry was scheduled, so the owner reloads
 */
export class DeliveryTable extends LightElement {
  static override properties = {
    api: { attribute: false },
    deliveries: { attribute: false },
    emptyText: { attribute: false },
    linkPayments: { attribute: false },
    open: { state: true },
    messages: { state: true },
  };

  declare api: Api;
  declare deliveries: Delivery[];
  declare emptyText: string;
  /** Whether each row links to its payment (not on the payment's own page). */
  declare linkPayments: boolean;
  declare open: ReadonlySet<string>;
  declare messages: ReadonlyMap<string, { text: string; isError: boolean }>;

  constructor() {
    super();
    this.deliveries = [];
    this.emptyText = 'No deliveries yet.';
    this.linkPayments = true;
    this.open = new Set();
    this.messages = new Map();
  }

  private toggle(id: string): void {
    const open = new Set(this.open);
    if (open.has(id)) open.delete(id);
    else open.add(id);
    this.open = open;
  }

  private async retry(d: Delivery): Promise<void> {
    const messages = new Map(this.messages);
    try {
      const answer = await this.api.retryDelivery(d.id);
      messages.set(d.id, { text: `${answer.message}.`, isError: false });
    } catch (error) {
      messages.set(d.id, { text: error instanceof ApiError ? error.description : 'The retry could not be scheduled.', isError: true });
    }
    this.messages = messages;
    this.dispatchEvent(new CustomEvent('changed', { bubbles: false }));
  }

  override render() {
    if (this.deliveries.length === 0) return html`<p class="empty" data-test-id="webhook-logs-empty">${this.emptyText}</p>`;
    return html`
      <div class="table-wrap">
        <table data-test-id="webhook-logs-table" class="deliveries">
          <caption class="visually-hidden">
            Webhook deliveries, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last attempt</th>
              <th scope="col">Response</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${this.deliveries.map((d) => this.renderRow(d))}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderRow(d: Delivery) {
    const isOpen = this.open.has(d.id);
    const message = this.messages.get(d.id);
    const paymentId = this.linkPayments ? paymentIdOf(d.payload) : undefined;
    return html`
      <tr data-test-id="webhook-log-item" data-delivery-id=${d.id} data-status=${d.status}>
        <td data-label="Event">
          <code data-test-id="webhook-event">${d.event}</code>
          ${paymentId ? html`<a class="small" href="${BASE}/payments/${paymentId}">${paymentId}</a>` : nothing}
        </td>
        <td data-label="Status"><span class=${statusClass(d.status)} data-test-id="webhook-status">${d.status}</span></td>
        <td data-label="Attempts" class="num" data-test-id="webhook-attempts">${d.attempts}</td>
        <td data-label="Last attempt" data-test-id="webhook-last-attempt">
          ${d.last_attempt_at ? html`<time datetime=${d.last_attempt_at}>${formatDateTime(d.last_attempt_at)}</time>` : 'Not yet'}
          ${d.next_attempt_at ? html`<span class="muted small">next ${formatDateTime(d.next_attempt_at)}</span>` : nothing}
        </td>
        <td data-label="Response" class="num" data-test-id="webhook-response-code">${d.response_code ?? '—'}</td>
        <td class="actions">
          <button
            type="button"
            class="secondary"
            aria-expanded=${isOpen ? 'true' : 'false'}
            aria-controls="attempts-${d.id}"
            @click=${() => this.toggle(d.id)}
            data-test-id="webhook-details-button"
          >
            ${isOpen ? 'Hide' : 'Details'}
          </button>
          ${
            d.status !== 'pending'
              ? html`<button
                  type="button"
                  class=${d.status === 'failed' ? '' : 'secondary'}
                  data-test-id="retry-webhook-button"
                  @click=${() => this.retry(d)}
                  title=${d.status === 'failed' ? 'Send it again now' : 'Send it again (a replay)'}
                >
                  Retry
                </button>`
              : nothing
          }
          ${message ? html`<span role=${message.isError ? 'alert' : 'status'} class=${message.isError ? 'error small' : 'ok small'}>${message.text}</span>` : nothing}
        </td>
      </tr>
      ${
        isOpen
          ? html`<tr class="details" id="attempts-${d.id}">
              <td colspan="6">${this.renderAttempts(d)}</td>
            </tr>`
          : nothing
      }
    `;
  }

  private renderAttempts(d: Delivery) {
    if (d.attempt_log.length === 0) return html`<p class="muted">No attempt yet: it is queued and goes out shortly.</p>`;
    return html`<ol class="attempts" data-test-id="webhook-attempt-list">
      ${d.attempt_log.map(
        (a) =>
          html`<li data-test-id="webhook-attempt">
            <div>
              <strong>Attempt ${a.attempt}</strong>
              <span class=${a.succeeded ? 'badge ok' : 'badge bad'}>${a.status_code ?? 'no response'}</span>
              <span>${formatDateTime(a.attempted_at)}</span>
              <span data-test-id="webhook-attempt-latency">${a.latency_ms === null ? '' : `${a.latency_ms} ms`}</span>
            </div>
            <div class="muted small">${a.url}</div>
            ${a.error ? html`<div class="error small" data-test-id="webhook-attempt-error">${a.error}</div>` : nothing}
            ${
              a.response_body
                ? html`<pre class="excerpt" data-test-id="webhook-attempt-response">
${a.response_body.length > EXCERPT ? `${a.response_body.slice(0, EXCERPT)}…` : a.response_body}</pre>`
                : nothing
            }
          </li>`,
      )}
    </ol>`;
  }
}

customElements.get('pg-delivery-table') || customElements.define('pg-delivery-table', DeliveryTable);

import { html, nothing } from 'lit';
import { WEBHOOK_EVENT_TYPES } from '@paygate/core';
import { ApiError, type Api, type Delivery, type List, type WebhookConfig } from '../lib/api.js';
import type { EventFeed } from '../lib/event-feed.js';
import { formatDateTime } from '../lib/format.js';
import { LightElement } from '../lib/light-element.js';
import '../components/delivery-table.js';

const PAGE_SIZE = 20;
/** Attempts make no events, so the log is re-read this often while the page is open. */
const POLL_MS = 2_000;

type Notice = { text: string; isError: boolean };

/**
 * The seed's webhooks page: the endpoint URL and its events, the signing secret (copy,
 * rotate), a test delivery, and the delivery log with retries.
 */
export class WebhooksPage extends LightElement {
  static override properties = {
    api: { attribute: false },
    feed: { attribute: false },
    config: { state: true },
    log: { state: true },
    statusFilter: { state: true },
    offset: { state: true },
    allEvents: { state: true },
    error: { state: true },
    configNotice: { state: true },
    secretNotice: { state: true },
    testNotice: { state: true },
    saving: { state: true },
  };

  declare api: Api;
  declare feed: EventFeed;
  declare config: WebhookConfig | undefined;
  declare log: List<Delivery> | undefined;
  declare statusFilter: string;
  declare offset: number;
  declare allEvents: boolean;
  declare error: string | undefined;
  declare configNotice: Notice | undefined;
  declare secretNotice: Notice | undefined;
  declare testNotice: Notice | undefined;
  declare saving: boolean;
  private poll: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.config = undefined;
    this.log = undefined;
    this.statusFilter = '';
    this.offset = 0;
    this.allEvents = true;
    this.error = undefined;
    this.configNotice = undefined;
    this.secretNotice = undefined;
    this.testNotice = undefined;
    this.saving = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadConfig();
    void this.loadLog();
    this.poll = setInterval(() => void this.loadLog(), POLL_MS);
    // A new event means a new delivery: show it at once rather than at the next poll.
    this.unsubscribe = this.feed.subscribe(() => void this.loadLog());
  }

  override disconnectedCallback(): void {
    clearInterval(this.poll);
    this.unsubscribe?.();
    super.disconnectedCallback();
  }

  private async loadConfig(): Promise<void> {
    try {
      this.config = await this.api.getWebhookConfig();
      this.allEvents = this.config.events === null;
    } catch (error) {
      this.error = error instanceof ApiError ? error.description : 'Could not load the webhook settings.';
    }
  }

  private async loadLog(): Promise<void> {
    try {
      this.log = await this.api.listDeliveries({ limit: PAGE_SIZE, offset: this.offset, status: this.statusFilter || undefined });
    } catch (error) {
      this.error = error instanceof ApiError ? error.description : 'Could not load the delivery log.';
    }
  }

  private async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const url = String(form.get('webhook_url') ?? '').trim();
    const events = this.allEvents ? null : form.getAll('events').map(String);
    if (events && events.length === 0) {
      this.configNotice = { text: 'Pick at least one event, or choose "All events".', isError: true };
      return;
    }
    this.saving = true;
    try {
      this.config = await this.api.updateWebhookConfig({ webhook_url: url === '' ? null : url, events });
      this.configNotice = { text: url ? `Saved. Events now go to ${url}.` : 'Saved. No URL: no webhooks are sent.', isError: false };
    } catch (error) {
      this.configNotice = { text: error instanceof ApiError ? error.description : 'Could not save. Try again.', isError: true };
    } finally {
      this.saving = false;
    }
  }

  private async copySecret(): Promise<void> {
    const secret = this.config?.webhook_secret;
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      this.secretNotice = { text: 'Secret copied to the clipboard.', isError: false };
    } catch {
      // No clipboard permission (an insecure origin, a denied prompt): select the text instead.
      const code = this.querySelector('[data-test-id="webhook-secret"]');
      if (code) getSelection()?.selectAllChildren(code);
      this.secretNotice = { text: 'The browser refused the clipboard: the secret is selected, press Ctrl+C (⌘C) to copy it.', isError: true };
    }
  }

  private async rotate(): Promise<void> {
    try {
      this.config = await this.api.rotateWebhookSecret();
      const until = this.config.previous_secret_expires_at;
      this.secretNotice = {
        text: until
          ? `New secret made. Deliveries are signed with both secrets until ${formatDateTime(until)}; update your receiver before then.`
          : 'New secret made.',
        isError: false,
      };
    } catch (error) {
      this.secretNotice = { text: error instanceof ApiError ? error.description : 'Could not rotate the secret.', isError: true };
    }
  }

  private async sendTest(): Promise<void> {
    try {
      const sent = await this.api.sendTestWebhook();
      this.testNotice = { text: `Test webhook queued (${sent.event_id}). It appears in the log below.`, isError: false };
      await this.loadLog();
    } catch (error) {
      this.testNotice = { text: error instanceof ApiError ? error.description : 'Could not send a test webhook.', isError: true };
    }
  }

  private filter(event: Event): void {
    this.statusFilter = (event.target as HTMLSelectElement).value;
    this.offset = 0;
    void this.loadLog();
  }

  private page(delta: number): void {
    this.offset = Math.max(0, this.offset + delta * PAGE_SIZE);
    void this.loadLog();
  }

  private renderNotice(notice: Notice | undefined, testId: string) {
    if (!notice) return nothing;
    return html`<p role=${notice.isError ? 'alert' : 'status'} class=${notice.isError ? 'error' : 'ok'} data-test-id=${testId}>${notice.text}</p>`;
  }

  override render() {
    return html`
      <section class="page" data-test-id="webhooks-page">
        <h1>Webhooks</h1>
        ${this.error ? html`<p class="error" role="alert">${this.error} Reload the page to try again.</p>` : nothing}
        <div class="columns">${this.renderConfig()} ${this.renderSecret()}</div>
        ${this.renderLog()}
      </section>
    `;
  }

  private renderConfig() {
    const c = this.config;
    const chosen = new Set(c?.events ?? []);
    return html`
      <article class="card">
        <h2>Endpoint</h2>
        <form data-test-id="webhook-config-form" @submit=${this.save}>
          <label for="webhook-url">Webhook URL</label>
          <input
            id="webhook-url"
            name="webhook_url"
            type="url"
            inputmode="url"
            placeholder="https://yoursite.com/webhook"
            .value=${c?.webhook_url ?? ''}
            data-test-id="webhook-url-input"
          />
          <fieldset class="events-choice">
            <legend>Events</legend>
            <label class="choice"
              ><input type="checkbox" .checked=${this.allEvents} @change=${(e: Event) => (this.allEvents = (e.target as HTMLInputElement).checked)} /> All
              events</label
            >
            ${
              this.allEvents
                ? nothing
                : WEBHOOK_EVENT_TYPES.map(
                    (type) =>
                      html`<label class="choice"
                        ><input type="checkbox" name="events" value=${type} .checked=${chosen.has(type)} /> <code>${type}</code></label
                      >`,
                  )
            }
          </fieldset>
          ${c && !c.enabled ? html`<p class="error">This endpoint was disabled (it answered 410 Gone). Saving re-enables it.</p>` : nothing}
          <div class="buttons">
            <button type="submit" data-test-id="save-webhook-button" ?disabled=${this.saving}>${this.saving ? 'Saving…' : 'Save configuration'}</button>
            <button type="button" class="secondary" data-test-id="test-webhook-button" @click=${this.sendTest}>Send test webhook</button>
          </div>
          ${this.renderNotice(this.configNotice, 'webhook-config-message')} ${this.renderNotice(this.testNotice, 'test-webhook-message')}
        </form>
      </article>
    `;
  }

  private renderSecret() {
    const c = this.config;
    return html`
      <article class="card">
        <h2>Signing secret</h2>
        <p class="muted">Verify every delivery with this secret (see API docs). Keep it on your server only.</p>
        <div class="secret-row">
          <code class="secret" data-test-id="webhook-secret">${c?.webhook_secret ?? '…'}</code>
        </div>
        <div class="buttons">
          <button type="button" class="secondary" data-test-id="copy-secret-button" @click=${this.copySecret}>Copy</button>
          <button type="button" class="secondary" data-test-id="regenerate-secret-button" @click=${this.rotate}>Rotate secret</button>
        </div>
        ${
          c?.previous_secret_expires_at
            ? html`<p class="muted" data-test-id="previous-secret-expiry">
                The previous secret is still signed (alongside this one) until
                <time datetime=${c.previous_secret_expires_at}>${formatDateTime(c.previous_secret_expires_at)}</time>.
              </p>`
            : nothing
        }
        ${this.renderNotice(this.secretNotice, 'secret-message')}
      </article>
    `;
  }

  private renderLog() {
    const log = this.log;
    const urlSet = Boolean(this.config?.webhook_url);
    return html`
      <article class="card">
        <div class="card-head">
          <h2>Delivery log</h2>
          <label class="inline-field"
            >Status
            <select @change=${this.filter} data-test-id="webhook-status-filter">
              <option value="">Any</option>
              <option value="pending">Pending</option>
              <option value="success">Delivered</option>
              <option value="failed">Failed</option>
            </select></label
          >
        </div>
        ${
          log
            ? html`<pg-delivery-table
                .api=${this.api}
                .deliveries=${log.data}
                .emptyText=${
                  urlSet
                    ? 'No deliveries yet. Press "Send test webhook", or make a payment: each event is delivered here.'
                    : 'No deliveries yet. Enter your webhook URL above and save, then press "Send test webhook".'
                }
                @changed=${() => this.loadLog()}
              ></pg-delivery-table>`
            : html`<p class="muted">Loading the delivery log…</p>`
        }
        ${
          log && log.total > PAGE_SIZE
            ? html`<nav class="pager" aria-label="Pages of deliveries">
                <button type="button" class="secondary" ?disabled=${log.offset === 0} @click=${() => this.page(-1)}>Previous</button>
                <span>${log.offset + 1}–${log.offset + log.data.length} of ${log.total}</span>
                <button type="button" class="secondary" ?disabled=${log.offset + log.data.length >= log.total} @click=${() => this.page(1)}>Next</button>
              </nav>`
            : nothing
        }
      </article>
    `;
  }
}

customElements.get('pg-webhooks-page') || customElements.define('pg-webhooks-page', WebhooksPage);

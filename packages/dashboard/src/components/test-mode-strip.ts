import { html, nothing } from 'lit';
import { ApiError, type Api } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { LightElement } from '../lib/light-element.js';

const STEPS: ReadonlyArray<{ label: string; seconds: number }> = [
  { label: '30 seconds', seconds: 30 },
  { label: '1 minute', seconds: 60 },
  { label: '5 minutes', seconds: 300 },
  { label: '30 minutes', seconds: 1800 },
  { label: '2 hours', seconds: 7200 },
  { label: '1 day', seconds: 86400 },
];

/** Test mode only: move the gateway clock forward (retries come due at once) and empty the data. */
export class TestModeStrip extends LightElement {
  static override properties = {
    api: { attribute: false },
    message: { state: true },
    confirmingReset: { state: true },
  };

  declare api: Api;
  declare message: { text: string; isError: boolean } | undefined;
  declare confirmingReset: boolean;

  constructor() {
    super();
    this.message = undefined;
    this.confirmingReset = false;
  }

  private async advance(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const seconds = Number(new FormData(event.target as HTMLFormElement).get('seconds'));
    try {
      const clock = await this.api.advanceClock(seconds);
      this.message = {
        text: `Gateway clock now ${formatDateTime(clock.now)} (+${clock.offset_seconds} s). Retries that came due are being sent.`,
        isError: false,
      };
    } catch (error) {
      this.message = { text: error instanceof ApiError ? error.description : 'Could not advance the clock.', isError: true };
    }
  }

  private async reset(): Promise<void> {
    if (!this.confirmingReset) {
      this.confirmingReset = true;
      return;
    }
    this.confirmingReset = false;
    try {
      await this.api.resetData();
      // Every page shows data that no longer exists: start over.
      location.reload();
    } catch (error) {
      this.message = { text: error instanceof ApiError ? error.description : 'Could not reset the data.', isError: true };
    }
  }

  override render() {
    return html`
      <aside class="test-strip" aria-label="Test mode" data-test-id="test-mode-strip">
        <strong>Test mode</strong>
        <form @submit=${this.advance} class="inline">
          <label for="advance-by">Advance clock by</label>
          <select id="advance-by" name="seconds">
            ${STEPS.map((s) => html`<option value=${s.seconds}>${s.label}</option>`)}
          </select>
          <button type="submit" class="secondary" data-test-id="advance-clock-button">Advance clock</button>
        </form>
        <button
          type="button"
          class=${this.confirmingReset ? 'danger' : 'secondary'}
          data-test-id="reset-button"
          @click=${this.reset}
          @blur=${() => (this.confirmingReset = false)}
        >
          ${this.confirmingReset ? 'Click again to delete all test data' : 'Reset'}
        </button>
        ${this.message ? html`<span role="status" class=${this.message.isError ? 'error' : 'muted'}>${this.message.text}</span>` : nothing}
      </aside>
    `;
  }
}

customElements.get('pg-test-mode-strip') || customElements.define('pg-test-mode-strip', TestModeStrip);

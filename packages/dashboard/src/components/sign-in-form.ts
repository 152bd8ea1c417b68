import { html, nothing } from 'lit';
import { Api, ApiError, fetchSession, type Credentials, type Session } from '../lib/api.js';
import { LightElement } from '../lib/light-element.js';

/**
 * Sign-in with an API key and secret. The pair is checked against the gateway before anything
 * is stored; a wrong pair stores nothing. In development and test mode a button signs in as the
 * seed merchant (its credentials are public there).
 *
 * @fires signed-in - detail: the checked {@link Credentials}
 */
export class SignInForm extends LightElement {
  static override properties = {
    mode: { attribute: false },
    error: { state: true },
    busy: { state: true },
  };

  declare mode: Session['mode'];
  declare error: string | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.mode = 'production';
    this.error = undefined;
    this.busy = false;
  }

  private async check(credentials: Credentials): Promise<void> {
    this.busy = true;
    this.error = undefined;
    try {
      await new Api(credentials).getWebhookConfig();
      this.dispatchEvent(new CustomEvent<Credentials>('signed-in', { detail: credentials, bubbles: true, composed: true }));
    } catch (error) {
      this.error =
        error instanceof ApiError && error.status === 401
          ? 'That API key and secret do not match a merchant. Copy both again from where your account was created (pg-cli merchants create prints them once).'
          : error instanceof ApiError
            ? `${error.code}: ${error.description}`
            : 'Sign-in failed. Reload the page and try again.';
    } finally {
      this.busy = false;
    }
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const apiKey = String(form.get('api_key') ?? '').trim();
    const apiSecret = String(form.get('api_secret') ?? '').trim();
    if (!apiKey || !apiSecret) {
      this.error = 'Enter both the API key (key_…) and the API secret.';
      return;
    }
    await this.check({ apiKey, apiSecret });
  }

  private async useSeed(): Promise<void> {
    const seed = (await fetchSession()).seed_credentials;
    if (seed) await this.check({ apiKey: seed.api_key, apiSecret: seed.api_secret });
  }

  override render() {
    return html`
      <section class="card sign-in">
        <h1>Sign in to Paygate</h1>
        <p class="muted">
          Use your merchant API key and secret. They stay in this browser tab only (session storage) and are cleared when you sign out or close the tab.
        </p>
        <form @submit=${this.onSubmit} novalidate data-test-id="sign-in-form">
          <label for="api-key">API key</label>
          <input id="api-key" name="api_key" autocomplete="username" spellcheck="false" placeholder="key_…" data-test-id="api-key-input" required />
          <label for="api-secret">API secret</label>
          <input id="api-secret" name="api_secret" type="password" autocomplete="current-password" data-test-id="api-secret-input" required />
          ${this.error ? html`<p class="error" role="alert" data-test-id="sign-in-error">${this.error}</p>` : nothing}
          <button type="submit" ?disabled=${this.busy} data-test-id="sign-in-button">${this.busy ? 'Signing in…' : 'Sign in'}</button>
        </form>
        ${
          this.mode !== 'production'
            ? html`<p class="muted">
                ${this.mode === 'test' ? 'Test' : 'Development'} mode:
                <button type="button" class="link" @click=${this.useSeed} ?disabled=${this.busy}>sign in as the seed test merchant</button>.
              </p>`
            : nothing
        }
      </section>
    `;
  }
}

customElements.get('pg-sign-in-form') || customElements.define('pg-sign-in-form', SignInForm);

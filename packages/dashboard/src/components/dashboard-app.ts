import { html, nothing } from 'lit';
import { Api, fetchSession, type Credentials, type Session } from '../lib/api.js';
import { EventFeed, type FeedState } from '../lib/event-feed.js';
import { LightElement } from '../lib/light-element.js';
import { BASE, interceptLinks, matchRoute, type Route } from '../lib/router.js';
import { clearCredentials, isMarkedSignedOut, loadCredentials, markSignedOut, saveCredentials } from '../lib/session.js';
import './sign-in-form.js';
import './test-mode-strip.js';
import '../pages/overview-page.js';
import '../pages/payments-page.js';
import '../pages/payment-page.js';
import '../pages/webhooks-page.js';
import '../pages/docs-page.js';

const NAV: ReadonlyArray<{ href: string; label: string; pages: ReadonlyArray<Route['page']> }> = [
  { href: BASE, label: 'Overview', pages: ['overview'] },
  { href: `${BASE}/payments`, label: 'Payments', pages: ['payments', 'payment'] },
  { href: `${BASE}/webhooks`, label: 'Webhooks', pages: ['webhooks'] },
  { href: `${BASE}/docs`, label: 'API docs', pages: ['docs'] },
];

const TITLES: Record<Route['page'], string> = {
  overview: 'Overview',
  payments: 'Payments',
  payment: 'Payment',
  webhooks: 'Webhooks',
  docs: 'API docs',
  'not-found': 'Not found',
};

/**
 * The shell: signs in (or finds the credentials of this tab), owns the one event stream, and
 * shows the page the path names, under a navigation bar.
 */
export class DashboardApp extends LightElement {
  static override properties = {
    route: { state: true },
    session: { state: true },
    api: { state: true },
    bootError: { state: true },
    feedState: { state: true },
  };

  declare route: Route;
  declare session: Session | undefined;
  declare api: Api | undefined;
  declare bootError: string | undefined;
  declare feedState: FeedState;
  private feed: EventFeed | undefined;
  private stopFeedState: (() => void) | undefined;

  constructor() {
    super();
    this.route = matchRoute(location.pathname);
    this.session = undefined;
    this.api = undefined;
    this.bootError = undefined;
    this.feedState = 'connecting';
  }

  private readonly onPopState = () => {
    this.route = matchRoute(location.pathname);
    window.scrollTo(0, 0);
    // Keyboard and screen-reader users land on the new page, not on the link they left.
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('main')?.focus({ preventScroll: true }));
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    interceptLinks(document);
    void this.boot();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onPopState);
    this.feed?.close();
    super.disconnectedCallback();
  }

  private async boot(): Promise<void> {
    try {
      this.session = await fetchSession();
    } catch {
      this.bootError = 'The gateway could not be reached. Check that it is running (npx pg-cli dev), then reload this page.';
      return;
    }
    const saved = loadCredentials();
    const seed = this.session.seed_credentials;
    if (saved) this.signIn(saved);
    else if (seed && !isMarkedSignedOut()) this.signIn({ apiKey: seed.api_key, apiSecret: seed.api_secret });
  }

  private signIn(credentials: Credentials): void {
    saveCredentials(credentials);
    markSignedOut(false);
    this.api = new Api(credentials);
    this.feed?.close();
    this.stopFeedState?.();
    this.feed = new EventFeed(this.api);
    this.stopFeedState = this.feed.onState((state) => (this.feedState = state));
  }

  private signOut(): void {
    this.feed?.close();
    this.stopFeedState?.();
    this.feed = undefined;
    this.api = undefined;
    clearCredentials();
    markSignedOut(true);
  }

  protected override updated(): void {
    const title = TITLES[this.route.page];
    document.title = `${title} · Paygate dashboard`;
  }

  private renderPage() {
    const api = this.api!;
    const feed = this.feed!;
    const mode = this.session!.mode;
    switch (this.route.page) {
      case 'overview':
        return html`<pg-overview-page .api=${api} .feed=${feed} .mode=${mode}></pg-overview-page>`;
      case 'payments':
        return html`<pg-payments-page .api=${api} .feed=${feed}></pg-payments-page>`;
      case 'payment':
        return html`<pg-payment-page .api=${api} .feed=${feed} .paymentId=${this.route.id}></pg-payment-page>`;
      case 'webhooks':
        return html`<pg-webhooks-page .api=${api} .feed=${feed}></pg-webhooks-page>`;
      case 'docs':
        return html`<pg-docs-page .api=${api}></pg-docs-page>`;
      case 'not-found':
        return html`<section class="page">
          <h1>Page not found</h1>
          <p class="empty">There is no dashboard page at <code>${this.route.path}</code>. Go to the <a href=${BASE}>overview</a>.</p>
        </section>`;
    }
  }

  override render() {
    if (this.bootError) return html`<main class="boot"><p class="error" role="alert">${this.bootError}</p></main>`;
    if (!this.session) return html`<main class="boot"><p class="muted">Loading…</p></main>`;
    const mode = this.session.mode;
    if (!this.api) {
      return html`<main class="boot">
        <pg-sign-in-form .mode=${mode} @signed-in=${(e: CustomEvent<Credentials>) => this.signIn(e.detail)}></pg-sign-in-form>
      </main>`;
    }
    const page = this.route.page;
    return html`
      <a class="skip-link" href="#main">Skip to content</a>
      ${mode === 'test' ? html`<pg-test-mode-strip .api=${this.api}></pg-test-mode-strip>` : nothing}
      <header class="topbar">
        <a class="brand" href=${BASE}>Paygate</a>
        <nav aria-label="Dashboard">
          ${NAV.map(
            (item) =>
              html`<a href=${item.href} aria-current=${item.pages.includes(page) ? 'page' : nothing} class=${item.pages.includes(page) ? 'active' : ''}
                >${item.label}</a
              >`,
          )}
        </nav>
        <div class="account">
          <span class="live live-${this.feedState}" title="Event stream: ${this.feedState}" data-test-id="live-indicator"
            >${this.feedState === 'live' ? 'Live' : this.feedState === 'connecting' ? 'Connecting…' : 'Offline, retrying'}</span
          >
          <code class="key" title="Signed in with this API key">${this.api.apiKey}</code>
          <button type="button" class="secondary" data-test-id="sign-out-button" @click=${() => this.signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" tabindex="-1">${this.renderPage()}</main>
    `;
  }
}

customElements.get('pg-dashboard-app') || customElements.define('pg-dashboard-app', DashboardApp);

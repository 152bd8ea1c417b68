/** The dashboard's pages, matched from the path under /dashboard. */
export type Route =
  { page: 'overview' } | { page: 'payments' } | { page: 'payment'; id: string } | { page: 'webhooks' } | { page: 'docs' } | { page: 'not-found'; path: string };

export const BASE = '/dashboard';

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === BASE) return { page: 'overview' };
  if (path === `${BASE}/payments`) return { page: 'payments' };
  const payment = new RegExp(`^${BASE}/payments/([^/]+)$`).exec(path);
  if (payment) return { page: 'payment', id: decodeURIComponent(payment[1]!) };
  if (path === `${BASE}/webhooks`) return { page: 'webhooks' };
  if (path === `${BASE}/docs`) return { page: 'docs' };
  return { page: 'not-found', path };
}

/** Moves to `href` without a reload; the app listens for `popstate`. */
export function navigate(href: string): void {
  if (href === location.pathname + location.search) return;
  history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/**
 * In-app links: a plain click on `<a href="/dashboard/…">` navigates without a reload; a
 * modified click (new tab, download) keeps the browser's behaviour.
 */
export function interceptLinks(root: Document): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || !(url.pathname === BASE || url.pathname.startsWith(`${BASE}/`))) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}

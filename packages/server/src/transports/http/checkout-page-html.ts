import { createHash } from 'node:crypto';

// The hosted page's only inline code is this stylesheet; the Content-Security-Policy allows it by
// its hash, so no 'unsafe-inline' is needed and nothing injected could run or restyle the page.
const PAGE_STYLE = `
:root{color-scheme:light dark}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;background:#f3f4f6;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111827}
main{width:100%;max-width:440px;padding:32px 12px;box-sizing:border-box}
.secure{text-align:center;color:#4b5563;font-size:.8rem;margin-top:12px}
.error{background:#fff;border:1px solid #9ca3af;border-radius:10px;padding:20px}
.error h1{font-size:1.2rem;margin:0 0 8px}
@media (prefers-color-scheme:dark){body{background:#030712;color:#f9fafb}.secure{color:#d1d5db}.error{background:#111827;border-color:#6b7280}}
`;

const STYLE_HASH = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

/**
 * The hosted page's policy: scripts and API calls only from the gateway itself, no framing (a
 * payment page must not be overlaid by another site), no forms or base URL tricks.
 */
export const CHECKOUT_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  `style-src 'self' ${STYLE_HASH}`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
${head}</head>
<body>
<main>
${body}
<p class="secure">Payments by Paygate</p>
</main>
</body>
</html>
`;
}

/** The hosted checkout for one order: `<pay-checkout>` from /checkout.js with the order's public key. */
export function renderCheckoutPage({ orderId, key }: { orderId: string; key: string }): string {
  return page(
    'Checkout',
    `<pay-checkout order-id="${escapeHtml(orderId)}" key="${escapeHtml(key)}"></pay-checkout>`,
    '<script src="/checkout.js" defer></script>\n',
  );
}

/** The hosted page when it cannot show a checkout: what went wrong and what to do. */
export function renderCheckoutErrorPage({ heading, description }: { heading: string; description: string }): string {
  return page(heading, `<div class="error" role="alert"><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(description)}</p></div>`);
}

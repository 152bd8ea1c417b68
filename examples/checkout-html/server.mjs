// The merchant's side of examples/checkout-html: a tiny web server with no dependencies.
// - GET /         creates an order with the API secret (server side only) and serves index.html
//                 with that order id and the gateway's address filled in;
// - GET /success  checks the payment with the gateway (never trust the browser's word) and thanks.
// Run: PAYGATE_API_URL=http://localhost:8000 node examples/checkout-html/server.mjs
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const SEED = { apiKey: 'key_test_abc123', apiSecret: 'secret_test_xyz789' };

/**
 * Starts the example shop. `gatewayUrl` is where the gateway (and its checkout.js) answers;
 * `amount` is in paise (50000 = ₹500.00). Resolves with the shop's URL and a `close()`.
 */
export async function startCheckoutExample({
  gatewayUrl = 'http://localhost:8000',
  port = 4242,
  host = '127.0.0.1',
  apiKey = SEED.apiKey,
  apiSecret = SEED.apiSecret,
  amount = 50000,
} = {}) {
  const template = await readFile(fileURLToPath(new URL('./index.html', import.meta.url)), 'utf8');
  const merchantHeaders = { 'X-Api-Key': apiKey, 'X-Api-Secret': apiSecret, 'Content-Type': 'application/json' };

  async function gateway(method, path, body) {
    const res = await fetch(`${gatewayUrl}${path}`, { method, headers: merchantHeaders, body: body && JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    try {
      if (url.pathname === '/') {
        const order = await gateway('POST', '/api/v1/orders', { amount, currency: 'INR', receipt: `shop-${Date.now()}` });
        const page = template.replaceAll('http://localhost:8000', gatewayUrl).replaceAll('order_xyz', order.id).replaceAll("'key_test_abc123'", `'${apiKey}'`);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
      } else if (url.pathname === '/success') {
        const payment = await gateway('GET', `/api/v1/payments/${encodeURIComponent(url.searchParams.get('payment_id') ?? '')}`);
        const paid = payment.status === 'success';
        res
          .writeHead(paid ? 200 : 402, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            `<!doctype html><meta charset="utf-8"><title>${paid ? 'Thank you' : 'Not paid'}</title>` +
              `<h1>${paid ? 'Thank you!' : 'Payment not confirmed'}</h1>` +
              `<p>Payment <code id="payment-id">${escape(payment.id)}</code> for order <code>${escape(payment.order_id)}</code>: <strong id="payment-status">${escape(payment.status)}</strong>.</p>`,
          );
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      }
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`The gateway did not answer as expected: ${error.message}`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const shop = await startCheckoutExample({
    gatewayUrl: process.env.PAYGATE_API_URL ?? 'http://localhost:8000',
    port: Number(process.env.PORT ?? 4242),
  });
  console.log(`Shop ready at ${shop.url} (gateway ${process.env.PAYGATE_API_URL ?? 'http://localhost:8000'}); open it and click "Pay ₹500.00"`);
}

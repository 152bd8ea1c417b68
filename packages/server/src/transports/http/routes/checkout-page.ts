import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { httpStatusOf, isPaygateError } from '@paygate/core';
import { findHostedCheckout } from '../../../services/hosted-checkout.js';
import type { AppDeps } from '../../../app-deps.js';
import { CHECKOUT_PAGE_CSP, renderCheckoutErrorPage, renderCheckoutPage } from '../checkout-page-html.js';

/** checkout.js as built by @paygate/sdk-web (`npm run build`), found through the package's exports. */
export function resolveCheckoutBundlePath(): string {
  return createRequire(import.meta.url).resolve('@paygate/sdk-web/checkout.js');
}

type Bundle = { body: Buffer; etag: string };

// Merchants' pages load checkout.js on every visit: browsers may reuse it for 5 minutes and then
// revalidate it cheaply (ETag → 304), so a new gateway version reaches shoppers within minutes.
const SCRIPT_CACHE_CONTROL = 'public, max-age=300, must-revalidate';

function sendPageError(reply: FastifyReply, status: number, heading: string, description: string) {
  return reply
    .code(status)
    .header('content-security-policy', CHECKOUT_PAGE_CSP)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(renderCheckoutErrorPage({ heading, description }));
}

/**
 * What the gateway serves to shoppers' browsers: `GET /checkout.js` (the `<pay-checkout>` element
 * and the seed's `PaymentGateway`) and the hosted page `GET /checkout?order_id=…`, which looks up
 * the order's public key itself. Neither ever carries a secret.
 */
export async function checkoutPageRoutes(app: FastifyInstance, deps: AppDeps & { checkoutBundlePath?: string }) {
  let bundle: Promise<Bundle> | undefined;
  const loadBundle = () =>
    (bundle ??= readFile(deps.checkoutBundlePath ?? resolveCheckoutBundlePath()).then((body) => ({
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    })));

  app.get('/checkout.js', async (request, reply) => {
    let script: Bundle;
    try {
      script = await loadBundle();
    } catch (error) {
      bundle = undefined; // a later build can still be picked up
      request.log.error({ err: error }, 'checkout.js is not built');
      return reply
        .code(503)
        .type('text/javascript; charset=utf-8')
        .send('console.error("Paygate: checkout.js is not built on this gateway; run npm run build");\n');
    }
    reply
      .header('cache-control', SCRIPT_CACHE_CONTROL)
      .header('etag', script.etag)
      .header('x-content-type-options', 'nosniff')
      // Merchants' pages on any origin load it, also under Cross-Origin-Embedder-Policy.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('access-control-allow-origin', '*')
      .type('text/javascript; charset=utf-8');
    if (request.headers['if-none-match'] === script.etag) return reply.code(304).send();
    return reply.send(script.body);
  });

  app.get<{ Querystring: { order_id?: string } }>('/checkout', async (request, reply) => {
    try {
      const checkout = await findHostedCheckout(deps, request.query.order_id);
      return (
        reply
          .header('content-security-policy', CHECKOUT_PAGE_CSP)
          // One order's page: never cached (a paid order must not come back from a cache as payable).
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .header('referrer-policy', 'no-referrer')
          .type('text/html; charset=utf-8')
          .send(renderCheckoutPage(checkout))
      );
    } catch (error) {
      if (!isPaygateError(error)) throw error;
      const status = httpStatusOf(error.code);
      return sendPageError(reply, status, status === 404 ? 'Order not found' : 'This checkout link is not valid', error.description);
    }
  });
}

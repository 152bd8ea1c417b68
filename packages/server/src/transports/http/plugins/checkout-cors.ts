import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The checkout's public API (routes/checkout.ts): the only URLs a page on another origin may call. */
const CHECKOUT_PREFIX = '/api/v1/checkout/';
// What the checkout sends: JSON bodies, the public key, and an Idempotency-Key when it pays.
const ALLOWED_METHODS = 'GET, POST';
const ALLOWED_HEADERS = 'Content-Type, X-Api-Key, Idempotency-Key';

/** Adds `Origin` to Vary (the answer now depends on it), keeping what is there already. */
function varyOnOrigin(reply: FastifyReply) {
  const vary = reply.getHeader('vary');
  reply.header('vary', vary === undefined ? 'Origin' : `${String(vary)}, Origin`);
}

/**
 * CORS for the checkout API, open to any origin without credentials (the public key is in the
 * merchant's page anyway), and no CORS at all for every other URL: the merchant API is called by
 * servers with the secret, never by a browser.
 *
 * Our own hook rather than @fastify/cors, because the library cannot be made cheap for the other
 * URLs: choosing options by URL needs its `delegator`, which rebuilds its options with object
 * spreads on every request (≈ 10–15 µs each, 1.5–3.4 % of the API's CPU on POST /api/v1/orders);
 * with static options its global hook still reads `request.routeOptions` (a getter that builds an
 * object) and spreads its options on every request, `config: { cors: false }` included, ≈ 5 µs.
 * Registering it in the checkout routes' scope only would run it after the global rate-limit and
 * auth hooks (a parent's hooks run first), so a 401 or 429 would reach the browser unreadable.
 * Here a URL outside the checkout costs one `startsWith`.
 *
 * It answers as @fastify/cors did with `origin: true`: the request's Origin reflected, `Vary:
 * Origin`, and preflights answered 204 in onRequest (400 when one lacks Origin or the requested
 * method). Register it before the rate-limit and auth plugins: its hook then runs before theirs,
 * so their errors carry Access-Control-Allow-Origin, and a preflight (which never carries the
 * key) is answered before either looks at it.
 */
export const checkoutCorsPlugin = fp(
  async (app: FastifyInstance) => {
    // A callback hook, not an async one: no promise for every request it lets through untouched.
    app.addHook('onRequest', (request, reply, done) => {
      if (!request.url.startsWith(CHECKOUT_PREFIX)) return done();
      varyOnOrigin(reply);
      const origin = request.headers.origin;
      if (origin) reply.header('access-control-allow-origin', origin);
      if (request.method !== 'OPTIONS') return done();
      if (!origin || !request.headers['access-control-request-method']) {
        reply.code(400).type('text/plain').send('Invalid Preflight Request');
        return;
      }
      // Safari waits for a body after a 204 without Content-Length: 0.
      reply
        .code(204)
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('content-length', '0')
        .send();
    });

    // Fastify routes OPTIONS only where such a route exists: this one gives the checkout's
    // preflights a route (the hook above answers them before its handler could run).
    app.options(`${CHECKOUT_PREFIX}*`, (_request, reply) => reply.callNotFound());
  },
  { name: 'paygate-checkout-cors', fastify: '5.x' },
);

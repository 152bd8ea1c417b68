import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { MerchantAuthenticator } from '../../../services/merchants.js';

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Authenticates each request as its route asks (`config.auth`): `secret` (X-Api-Key +
 * X-Api-Secret, merchant servers), `key` (X-Api-Key only, the checkout) or `none`.
 * Runs in onRequest, before the body is even parsed.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { authenticator: MerchantAuthenticator }) => {
    app.decorateRequest('merchant', undefined);
    app.addHook('onRequest', async (request) => {
      const auth = request.routeOptions.config.auth ?? 'none';
      if (auth === 'none') return;
      const key = header(request.headers['x-api-key']);
      request.merchant =
        auth === 'secret' ? await opts.authenticator.authenticate(key, header(request.headers['x-api-secret'])) : await opts.authenticator.authenticateKey(key);
    });
  },
  { name: 'paygate-auth', fastify: '5.x' },
);

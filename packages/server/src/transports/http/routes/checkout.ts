import type { FastifyInstance } from 'fastify';
import { makeCreatePaymentSchema, parseInput } from '@paygate/core';
import type { PaymentDto } from '../../../model/wire.js';
import { getCheckoutOrder } from '../../../services/orders.js';
import { createPayment, getPayment } from '../../../services/payments.js';
import type { AppDeps } from '../../../app-deps.js';
import { checkoutOrderResponse, checkoutPaymentResponse } from '../response-schemas.js';

/** What a shopper's browser may see of a payment: its outcome, nothing of the merchant's data. */
function toCheckoutPayment(p: PaymentDto) {
  return {
    id: p.id,
    order_id: p.order_id,
    amount: p.amount,
    currency: p.currency,
    method: p.method,
    status: p.status,
    error_code: p.error_code,
    error_description: p.error_description,
    created_at: p.created_at,
  };
}

/**
 * The checkout's public API: X-Api-Key only (a browser never holds the secret), CORS open. It can
 * read one order, pay it, and read that payment, and nothing else.
 */
export async function checkoutRoutes(app: FastifyInstance, deps: AppDeps) {
  const createPaymentSchema = makeCreatePaymentSchema(() => deps.clock.now());

  app.get<{ Params: { id: string } }>(
    '/api/v1/checkout/orders/:id',
    {
      config: { auth: 'key', openapi: { summary: 'Checkout: read an order (key only)', responses: { 200: checkoutOrderResponse } } },
    },
    async (request) => getCheckoutOrder(deps, request.merchant!, request.params.id),
  );
  app.post(
    '/api/v1/checkout/payments',
    {
      config: {
        auth: 'key',
        idempotent: true,
        openapi: { summary: 'Checkout: pay an order (key only)', body: createPaymentSchema, responses: { 201: checkoutPaymentResponse } },
      },
    },
    async (request, reply) => {
      const input = parseInput(createPaymentSchema, request.body);
      return reply.code(201).send(toCheckoutPayment((await createPayment(deps, request.merchant!, input, request.idempotency)).payment));
    },
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/checkout/payments/:id',
    {
      config: { auth: 'key', openapi: { summary: 'Checkout: payment status (key only)', responses: { 200: checkoutPaymentResponse } } },
    },
    async (request) => toCheckoutPayment(await getPayment(deps, request.merchant!, request.params.id)),
  );
}

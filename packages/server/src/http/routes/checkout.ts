import type { FastifyInstance } from 'fastify';
import { PaygateError, makeCreatePaymentSchema, parseInput } from '@paygate/core';
import { getCheckoutOrder } from '../../services/orders.js';
import { createPayment, requirePayment } from '../../services/payments.js';
import type { PaymentRow } from '../../db/tables.js';
import type { AppDeps } from '../app-deps.js';

/** What a shopper's browser may see of a payment: its outcome, nothing of the merchant's data. */
function toCheckoutPayment(p: Pick<PaymentRow, 'id' | 'order_id' | 'amount' | 'currency' | 'method' | 'status' | 'error_code' | 'error_description' | 'created_at'>) {
  return {
    id: p.id,
    order_id: p.order_id,
    amount: Number(p.amount),
    currency: p.currency,
    method: p.method,
    status: p.status,
    error_code: p.error_code,
    error_description: p.error_description,
    created_at: p.created_at.toISOString(),
  };
}

/**
 * The checkout's public API: X-Api-Key only (a browser never holds the secret), CORS open. It can
 * read one order, pay it, and read that payment, and nothing else.
 */
export async function checkoutRoutes(app: FastifyInstance, deps: AppDeps) {
  const createPaymentSchema = makeCreatePaymentSchema(() => deps.clock.now());

  app.get<{ Params: { id: string } }>('/api/v1/checkout/orders/:id', { config: { auth: 'key' } }, async (request) =>
    getCheckoutOrder(deps, request.merchant!, request.params.id),
  );
  app.post('/api/v1/checkout/payments', { config: { auth: 'key', idempotent: true } }, async (request, reply) => {
    const input = parseInput(createPaymentSchema, request.body);
    const created = await createPayment(deps, request.merchant!, input);
    return reply.code(201).send({ ...toCheckoutPayment({ ...created, created_at: new Date(created.created_at) }) });
  });
  app.get<{ Params: { id: string } }>('/api/v1/checkout/payments/:id', { config: { auth: 'key' } }, async (request) => {
    const payment = await requirePayment(deps, request.merchant!, request.params.id).catch((error: unknown) => {
      throw error instanceof PaygateError ? error : new PaygateError('NOT_FOUND_ERROR', `No payment ${request.params.id}.`);
    });
    return toCheckoutPayment(payment);
  });
}

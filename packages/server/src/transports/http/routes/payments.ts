import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createRefundSchema, listQuerySchema, makeCreatePaymentSchema, parseInput } from '@paygate/core';
import { capturePayment, createPayment, getPayment, listPayments } from '../../../services/payments.js';
import { captureInputSchema } from '../../../services/capture-input.js';
import { createRefund, getRefund, listPaymentRefunds, listRefunds } from '../../../services/refunds.js';
import type { AppDeps } from '../../../app-deps.js';
import { listOf, paymentResponse, refundResponse } from '../response-schemas.js';

/** The content type Fastify gives the JSON it serializes itself. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const isoTime = (field: string) => z.iso.datetime({ offset: true, error: `${field} must be an ISO-8601 time such as 2026-01-15T00:00:00Z` }).optional();
const paymentListQuery = listQuerySchema.extend({
  order_id: z.string({ error: 'order_id must be an order id such as order_NXhj67fGH2jk9mPq' }).max(64).optional(),
  method: z.enum(['upi', 'card'], { error: 'method must be upi or card' }).optional(),
  created_from: isoTime('created_from'),
  created_to: isoTime('created_to'),
});
const captureBody = captureInputSchema.optional();

export async function paymentRoutes(app: FastifyInstance, deps: AppDeps) {
  const createPaymentSchema = makeCreatePaymentSchema(() => deps.clock.now());

  app.post(
    '/api/v1/payments',
    {
      config: {
        auth: 'secret',
        idempotent: true,
        openapi: { summary: 'Create a payment (answers pending at once)', body: createPaymentSchema, responses: { 201: paymentResponse } },
      },
    },
    async (request, reply) => {
      const input = parseInput(createPaymentSchema, request.body);
      const created = await createPayment(deps, request.merchant!, input, request.idempotency);
      // Its JSON as the events' snapshot wrote it (one compiled writer's run a payment, not two):
      // Fastify's own answer to an object with no response schema is JSON.stringify, 14,700
      // instructions a payment (bench/micro/api-instructions.mjs --route payments --callers
      // JsonStringify, thirty-fifth sitting).
      return reply.code(201).type(JSON_CONTENT_TYPE).send(created.json);
    },
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/payments/:id',
    { config: { auth: 'secret', openapi: { summary: 'Get a payment', responses: { 200: paymentResponse } } } },
    async (request) => getPayment(deps, request.merchant!, request.params.id),
  );
  app.get(
    '/api/v1/payments',
    { config: { auth: 'secret', openapi: { summary: 'List payments', query: paymentListQuery, responses: { 200: listOf(paymentResponse) } } } },
    async (request) => listPayments(deps, request.merchant!, parseInput(paymentListQuery, request.query)),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/payments/:id/capture',
    {
      config: { auth: 'secret', openapi: { summary: 'Capture a successful payment', body: captureBody, responses: { 200: paymentResponse }, errors: [409] } },
    },
    async (request) => {
      const body = parseInput(captureBody, request.body ?? undefined);
      return capturePayment(deps, request.merchant!, request.params.id, body?.amount);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/payments/:id/refunds',
    {
      config: {
        auth: 'secret',
        idempotent: true,
        openapi: { summary: 'Refund a payment, fully or partly', body: createRefundSchema, responses: { 201: refundResponse }, errors: [409] },
      },
    },
    async (request, reply) => {
      const input = parseInput(createRefundSchema, request.body ?? {});
      return reply.code(201).send(await createRefund(deps, request.merchant!, request.params.id, input, request.idempotency));
    },
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/payments/:id/refunds',
    {
      config: { auth: 'secret', openapi: { summary: "List a payment's refunds", query: listQuerySchema, responses: { 200: listOf(refundResponse) } } },
    },
    async (request) => listPaymentRefunds(deps, request.merchant!, request.params.id, parseInput(listQuerySchema, request.query)),
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/refunds/:id',
    { config: { auth: 'secret', openapi: { summary: 'Get a refund', responses: { 200: refundResponse } } } },
    async (request) => getRefund(deps, request.merchant!, request.params.id),
  );
  app.get(
    '/api/v1/refunds',
    { config: { auth: 'secret', openapi: { summary: 'List refunds', query: listQuerySchema, responses: { 200: listOf(refundResponse) } } } },
    async (request) => listRefunds(deps, request.merchant!, parseInput(listQuerySchema, request.query)),
  );
}

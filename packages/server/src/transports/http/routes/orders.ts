import type { FastifyInstance } from 'fastify';
import { createOrderSchema, listQuerySchema, parseInput } from '@paygate/core';
import { createOrder, getOrder, listOrders } from '../../../services/orders.js';
import type { AppDeps } from '../../../app-deps.js';
import { listOf, orderResponse } from '../response-schemas.js';

export async function orderRoutes(app: FastifyInstance, deps: AppDeps) {
  app.post(
    '/api/v1/orders',
    {
      config: { auth: 'secret', idempotent: true, openapi: { summary: 'Create an order', body: createOrderSchema, responses: { 201: orderResponse } } },
    },
    async (request, reply) => {
      const input = parseInput(createOrderSchema, request.body);
      return reply.code(201).send(await createOrder(deps, request.merchant!, input, request.idempotency));
    },
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/orders/:id',
    { config: { auth: 'secret', openapi: { summary: 'Get an order', responses: { 200: orderResponse } } } },
    async (request) => getOrder(deps, request.merchant!, request.params.id),
  );
  app.get(
    '/api/v1/orders',
    { config: { auth: 'secret', openapi: { summary: 'List orders', query: listQuerySchema, responses: { 200: listOf(orderResponse) } } } },
    async (request) => listOrders(deps, request.merchant!, parseInput(listQuerySchema, request.query)),
  );
}

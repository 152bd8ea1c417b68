import { z } from 'zod';
import { createOrderSchema, listQuerySchema, parseInput } from '@paygate/core';
import { createOrder, getOrder, listOrders } from '../../../services/orders.js';
import { idempotentProcedure } from '../idempotency.js';
import { inputOf, merchantProcedure, router } from '../trpc.js';

const byId = inputOf((raw) => parseInput(z.strictObject({ id: z.string().min(1).max(200) }), raw));

export const ordersRouter = router({
  create: idempotentProcedure
    .input(inputOf((raw) => parseInput(createOrderSchema, raw)))
    .mutation(({ ctx, input }) => ctx.once((creation) => createOrder(ctx.deps, ctx.merchant, input, creation))),
  get: merchantProcedure.input(byId).query(({ ctx, input }) => getOrder(ctx.deps, ctx.merchant, input.id)),
  list: merchantProcedure.input(inputOf((raw) => parseInput(listQuerySchema, raw ?? {}))).query(({ ctx, input }) => listOrders(ctx.deps, ctx.merchant, input)),
});

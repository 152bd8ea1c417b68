import { z } from 'zod';
import { listQuerySchema, parseInput } from '@paygate/core';
import { getDelivery, listDeliveries, retryDelivery } from '../../services/webhooks.js';
import { inputOf, merchantProcedure, router } from '../trpc.js';

const byId = inputOf((raw) => parseInput(z.strictObject({ id: z.string().min(1).max(200) }), raw));

export const webhooksRouter = router({
  list: merchantProcedure.input(inputOf((raw) => parseInput(listQuerySchema, raw ?? {}))).query(({ ctx, input }) => listDeliveries(ctx.deps, ctx.merchant, input)),
  get: merchantProcedure.input(byId).query(({ ctx, input }) => getDelivery(ctx.deps, ctx.merchant, input.id)),
  retry: merchantProcedure.input(byId).mutation(({ ctx, input }) => retryDelivery(ctx.deps, ctx.merchant, input.id)),
});

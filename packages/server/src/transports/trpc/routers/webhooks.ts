import { z } from 'zod';
import { parseInput } from '@paygate/core';
import { updateWebhookConfig } from '../../../services/merchants.js';
import { webhookConfigInputSchema } from '../../../services/webhook-config-input.js';
import { webhookListQuerySchema } from '../../../services/webhook-list-query.js';
import { getDelivery, listDeliveries, retryDelivery } from '../../../services/webhooks.js';
import { inputOf, merchantProcedure, router } from '../trpc.js';

const byId = inputOf((raw) => parseInput(z.strictObject({ id: z.string().min(1).max(200) }), raw));

export const webhooksRouter = router({
  list: merchantProcedure
    .input(inputOf((raw) => parseInput(webhookListQuerySchema, raw ?? {})))
    .query(({ ctx, input }) => listDeliveries(ctx.deps, ctx.merchant, input)),
  get: merchantProcedure.input(byId).query(({ ctx, input }) => getDelivery(ctx.deps, ctx.merchant, input.id)),
  retry: merchantProcedure.input(byId).mutation(({ ctx, input }) => retryDelivery(ctx.deps, ctx.merchant, input.id)),
  /** `PUT /api/v1/webhooks/config` on tRPC. */
  updateConfig: merchantProcedure
    .input(inputOf((raw) => parseInput(webhookConfigInputSchema, raw)))
    .mutation(({ ctx, input }) => updateWebhookConfig(ctx.deps, ctx.merchant, input)),
});

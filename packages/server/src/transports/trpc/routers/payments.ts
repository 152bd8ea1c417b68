import { z } from 'zod';
import { createRefundSchema, listQuerySchema, makeCreatePaymentSchema, parseInput } from '@paygate/core';
import { capturePayment, createPayment, getPayment, listPayments } from '../../../services/payments.js';
import { captureInputSchema } from '../../../services/capture-input.js';
import { createRefund, getRefund, listPaymentRefunds } from '../../../services/refunds.js';
import { idempotentProcedure } from '../idempotency.js';
import { inputOf, merchantProcedure, router } from '../trpc.js';

const idSchema = z.string().min(1).max(200);
const byId = inputOf((raw) => parseInput(z.strictObject({ id: idSchema }), raw));
const captureInput = inputOf((raw) => parseInput(captureInputSchema.extend({ id: idSchema }), raw));
const refundInput = z.strictObject({ payment_id: z.string().min(1).max(200), refund: createRefundSchema.optional() });

export const paymentsRouter = router({
  create: idempotentProcedure
    .input((raw) => raw)
    .mutation(({ ctx, input }) =>
      ctx.once((creation) =>
        createPayment(
          ctx.deps,
          ctx.merchant,
          parseInput(
            makeCreatePaymentSchema(() => ctx.deps.clock.now()),
            input,
          ),
          creation,
        ).then((created) => created.payment),
      ),
    ),
  get: merchantProcedure.input(byId).query(({ ctx, input }) => getPayment(ctx.deps, ctx.merchant, input.id)),
  list: merchantProcedure
    .input(inputOf((raw) => parseInput(listQuerySchema, raw ?? {})))
    .query(({ ctx, input }) => listPayments(ctx.deps, ctx.merchant, input)),
  capture: merchantProcedure.input(captureInput).mutation(({ ctx, input }) => capturePayment(ctx.deps, ctx.merchant, input.id, input.amount)),
});

export const refundsRouter = router({
  create: idempotentProcedure
    .input(inputOf((raw) => parseInput(refundInput, raw)))
    .mutation(({ ctx, input }) => ctx.once((creation) => createRefund(ctx.deps, ctx.merchant, input.payment_id, input.refund ?? {}, creation))),
  get: merchantProcedure.input(byId).query(({ ctx, input }) => getRefund(ctx.deps, ctx.merchant, input.id)),
  listForPayment: merchantProcedure
    .input(inputOf((raw) => parseInput(z.strictObject({ payment_id: z.string().min(1).max(200) }), raw)))
    .query(({ ctx, input }) => listPaymentRefunds(ctx.deps, ctx.merchant, input.payment_id, { limit: 100, offset: 0 })),
});

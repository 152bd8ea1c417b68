import { PaygateError } from '@paygate/core';
import { parseIdempotencyKey, runIdempotently, type IdempotentCreation } from '../../services/idempotency.js';
import { merchantProcedure } from './trpc.js';

type Creation = IdempotentCreation | undefined;

/**
 * Procedures for the mutations that create (orders, payments, refunds): they honour an
 * `Idempotency-Key` HTTP header as REST does (same rules, `services/idempotency.ts`), scoped per
 * merchant and procedure (`/trpc/<procedure>`). The header must come on a request that carries
 * this call alone: on a batch of several it could belong to any of them, so it is refused.
 * The resolver wraps its use case in `ctx.once(creation => …)` and hands `creation` to it.
 */
export const idempotentProcedure = merchantProcedure.use(async ({ ctx, path, getRawInput, next }) => {
  const key = parseIdempotencyKey(ctx.headers['idempotency-key']);
  if (key !== undefined && ctx.callsInRequest > 1) {
    throw new PaygateError(
      'BAD_REQUEST_ERROR',
      `Idempotency-Key was sent on a request batching ${ctx.callsInRequest} calls; it must come on a request with only the one call it is for (the typed client does this for calls given context.idempotencyKey).`,
      { field: 'Idempotency-Key' },
    );
  }
  const once = async <T>(work: (creation: Creation) => Promise<T>): Promise<T> => {
    if (key === undefined) return work(undefined);
    const scope = { merchantId: ctx.merchant.id, method: 'POST', path: `/trpc/${path}`, key };
    const { value, replayed } = await runIdempotently(ctx.deps, scope, await getRawInput(), work);
    if (replayed) ctx.reply.header('idempotent-replayed', 'true');
    return value;
  };
  return next({ ctx: { once } });
});

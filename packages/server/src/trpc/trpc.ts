import { TRPCError, initTRPC } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { PaygateError, isPaygateError, type ErrorCode } from '@paygate/core';
import type { Context } from './context.js';

// Our codes carried through tRPC: a Record, so a new ErrorCode without a mapping won't compile.
const TRPC_CODE: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST_ERROR: 'BAD_REQUEST',
  AUTHENTICATION_ERROR: 'UNAUTHORIZED',
  NOT_FOUND_ERROR: 'NOT_FOUND',
  INVALID_STATE_ERROR: 'CONFLICT',
  IDEMPOTENCY_IN_FLIGHT_ERROR: 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED_ERROR: 'UNPROCESSABLE_CONTENT',
  PAYLOAD_TOO_LARGE_ERROR: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE_ERROR: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMIT_ERROR: 'TOO_MANY_REQUESTS',
  SERVICE_UNAVAILABLE_ERROR: 'SERVICE_UNAVAILABLE',
  SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
};

const t = initTRPC.context<Context>().create({
  // The REST envelope's fields ride along in `data.paygate`, so clients branch on the same codes.
  errorFormatter({ shape, error }) {
    const cause = isPaygateError(error.cause) ? error.cause : undefined;
    return {
      ...shape,
      message: cause ? cause.description : error.code === 'INTERNAL_SERVER_ERROR' ? 'Something went wrong on our side.' : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        paygate: cause
          ? { code: cause.code, description: cause.description, ...(cause.field ? { field: cause.field } : {}) }
          : { code: 'SERVER_ERROR' as ErrorCode, description: shape.message },
      },
    };
  },
});

/** Rethrows a PaygateError (from a service or an input parser) with the matching tRPC code. */
const paygateErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = isPaygateError(result.error) ? result.error : result.error.cause;
    if (isPaygateError(cause)) throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.description, cause });
  }
  return result;
});

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(paygateErrors);

/** Procedures for merchant servers: X-Api-Key + X-Api-Secret, as on REST. */
export const merchantProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const merchant = await ctx.deps.authenticator.authenticate(header(ctx.headers['x-api-key']), header(ctx.headers['x-api-secret']));
  return next({ ctx: { ...ctx, merchant } });
});

/** Wraps a core parser for `.input()`: failures are BAD_REQUEST_ERROR with the field. */
export function inputOf<T>(parse: (raw: unknown) => T): (raw: unknown) => T {
  return (raw) => {
    try {
      return parse(raw);
    } catch (error) {
      if (isPaygateError(error)) throw error;
      throw new PaygateError('BAD_REQUEST_ERROR', 'The input is invalid.', { cause: error });
    }
  };
}

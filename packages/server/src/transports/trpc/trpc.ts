import { TRPCError, initTRPC } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { PaygateError, isPaygateError, type ErrorCode } from '@paygate/core';
import { rateLimitError, subjectKey, type RateSubject } from '../rate-limit/rate-limit-error.js';
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

// tRPC's own errors (no such procedure, unparsable batch, …) in our vocabulary; the rest is ours.
const CODE_OF_TRPC: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  PARSE_ERROR: 'BAD_REQUEST_ERROR',
  BAD_REQUEST: 'BAD_REQUEST_ERROR',
  METHOD_NOT_SUPPORTED: 'BAD_REQUEST_ERROR',
  NOT_FOUND: 'NOT_FOUND_ERROR',
  UNAUTHORIZED: 'AUTHENTICATION_ERROR',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE_ERROR',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE_ERROR',
  TOO_MANY_REQUESTS: 'RATE_LIMIT_ERROR',
};

/** The opaque answer to a bug, as on REST: the request id to quote, never the error's own text. */
export const serverErrorDescription = (requestId: string | undefined) =>
  `Something went wrong on our side.${requestId ? ` Quote request id ${requestId} when reporting it.` : ''}`;

const t = initTRPC.context<Context>().create({
  // The REST envelope's fields ride along in `data.paygate`, so clients branch on the same codes.
  errorFormatter({ shape, error, ctx }) {
    const cause = isPaygateError(error.cause) ? error.cause : undefined;
    const ours = CODE_OF_TRPC[error.code];
    const paygate = cause
      ? { code: cause.code, description: cause.description, ...(cause.field ? { field: cause.field } : {}) }
      : ours
        ? { code: ours, description: shape.message }
        : { code: 'SERVER_ERROR' as ErrorCode, description: serverErrorDescription(ctx?.requestId) };
    return { ...shape, message: paygate.description, data: { ...shape.data, stack: undefined, paygate } };
  },
});

/**
 * Rethrows a PaygateError (from a service or an input parser), or the one a database error
 * stands for (bad input, database unavailable; AppDeps' `classifyError`), with the matching
 * tRPC code.
 */
const paygateErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) {
    const raw = isPaygateError(result.error) ? result.error : result.error.cause;
    const cause = isPaygateError(raw) ? raw : ctx.deps.classifyError(raw);
    if (cause) throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.description, cause });
  }
  return result;
});

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(paygateErrors);

/**
 * Procedures for merchant servers: X-Api-Key + X-Api-Secret, as on REST, and the same rate
 * limit: each call counts (a batch of ten is ten), against the merchant once authenticated, and
 * a failed authentication against the address that sent it.
 */
export const merchantProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const limiter = ctx.rateLimiter;
  const address: RateSubject = { kind: 'address', ip: ctx.ip };
  const wait = limiter.blockedFor(subjectKey(address));
  if (wait > 0) throw rateLimitError(address, limiter.limit, wait);
  let merchant;
  try {
    merchant = await ctx.deps.authenticator.authenticate(header(ctx.headers['x-api-key']), header(ctx.headers['x-api-secret']));
  } catch (error) {
    if (isPaygateError(error) && error.code === 'AUTHENTICATION_ERROR') await limiter.hit(subjectKey(address));
    throw error;
  }
  const subject: RateSubject = { kind: 'merchant', id: merchant.id };
  const verdict = await limiter.hit(subjectKey(subject));
  if (!verdict.allowed) throw rateLimitError(subject, verdict.limit, verdict.resetSeconds);
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

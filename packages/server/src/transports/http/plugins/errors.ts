import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { PaygateError, httpStatusOf, isPaygateError, rejectNulBytes, toErrorBody, type ErrorCode } from '@paygate/core';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, retryAfterOf } from '../../../model/retry-after.js';
import type { ClassifyError } from '../../../ports/error-classifier.js';

// Fastify's own 4xx errors (body parsing, limits, routing, rate limiting) in our vocabulary.
const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST_ERROR',
  401: 'AUTHENTICATION_ERROR',
  404: 'NOT_FOUND_ERROR',
  405: 'BAD_REQUEST_ERROR',
  406: 'BAD_REQUEST_ERROR',
  411: 'BAD_REQUEST_ERROR',
  413: 'PAYLOAD_TOO_LARGE_ERROR',
  414: 'BAD_REQUEST_ERROR',
  415: 'UNSUPPORTED_MEDIA_TYPE_ERROR',
  429: 'RATE_LIMIT_ERROR',
};

const FRIENDLY: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON. Check quotes and commas; send Content-Type: application/json.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty but Content-Type is application/json. Send a JSON object, or no Content-Type.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The body is too large (limit {limit} bytes).',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported Content-Type. Send the body as JSON with Content-Type: application/json.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body.',
};

type ErrorsOptions = {
  bodyLimit: number;
  /** Database (infrastructure) errors in our vocabulary: AppDeps' `classifyError`. */
  classifyError: ClassifyError;
};

/** Converts anything thrown into a PaygateError; `undefined` means "a bug": render a 500. */
function classify(error: FastifyError & { code?: string }, opts: ErrorsOptions): PaygateError | undefined {
  if (isPaygateError(error)) return error;
  const fromInfrastructure = opts.classifyError(error);
  if (fromInfrastructure) return fromInfrastructure;
  const status = error.statusCode;
  const code = status !== undefined ? CODE_BY_STATUS[status] : undefined;
  if (!code) return undefined;
  const friendly = error.code ? FRIENDLY[error.code]?.replace('{limit}', String(opts.bodyLimit)) : undefined;
  return new PaygateError(code, friendly ?? error.message, { cause: error });
}

/**
 * One error handler for the whole API: PaygateError renders as the documented envelope; Fastify's
 * own client errors and database errors map to our codes; anything else is a 500 with an opaque
 * body and a full log line under the request id. Every response carries `x-request-id`, so an
 * operator can find the log line a client quotes.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance, opts: ErrorsOptions) => {
    // These two hooks run on every request and have nothing to wait for, so they call back rather
    // than return a promise (an async hook costs every request a promise and a microtask turn).
    // Set on the raw response so that streams (which write their own head) carry it too.
    app.addHook('onRequest', (request, reply, done) => {
      reply.raw.setHeader('x-request-id', request.id);
      done();
    });
    // Route params bypass the body schemas; a NUL in one would reach the database as a 500.
    app.addHook('preValidation', (request, _reply, done) => {
      const params = request.params as Record<string, unknown> | undefined;
      try {
        for (const [name, value] of Object.entries(params ?? {})) {
          if (typeof value === 'string' && value.includes('\u0000')) rejectNulBytes({ [name]: value });
        }
      } catch (error) {
        return done(error as Error);
      }
      done();
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const known = classify(error, opts);
      if (known) {
        const status = error.statusCode === 429 ? 429 : httpStatusOf(known.code);
        const retryAfter = retryAfterOf(known) ?? (known.code === 'SERVICE_UNAVAILABLE_ERROR' ? UNAVAILABLE_RETRY_AFTER_SECONDS : undefined);
        if (retryAfter !== undefined && !reply.hasHeader('retry-after')) reply.header('retry-after', String(retryAfter));
        if (known.code === 'SERVICE_UNAVAILABLE_ERROR') {
          request.log.warn({ code: known.code, err: known.cause ?? error }, known.description);
        } else {
          request.log.info({ code: known.code, field: known.field }, known.description);
        }
        return reply.code(status).send(toErrorBody(known));
      }
      request.log.error({ err: error }, 'unhandled error');
      return reply
        .code(500)
        .send(toErrorBody(new PaygateError('SERVER_ERROR', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`)));
    });

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0];
      reply.code(404).send(toErrorBody(new PaygateError('NOT_FOUND_ERROR', `There is no route ${request.method} ${path}. See /docs for the API.`)));
    });
  },
  { name: 'paygate-errors', fastify: '5.x' },
);

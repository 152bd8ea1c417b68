import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { PaygateError, httpStatusOf, isPaygateError, toErrorBody, type ErrorCode } from '@paygate/core';

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

// PostgreSQL errors that mean "your input", not "our bug": never a 500 for bad input.
const PG_INPUT_ERRORS: Record<string, string> = {
  '22001': 'A value is too long.',
  '22003': 'A number is out of range.',
  '22P02': 'A value has the wrong format.',
  '23514': 'The request would break a rule of the data (a check constraint).',
};

/** Converts anything thrown into a PaygateError; `undefined` means "a bug": render a 500. */
function classify(error: FastifyError & { code?: string }, bodyLimit: number): PaygateError | undefined {
  if (isPaygateError(error)) return error;
  if (error.code && PG_INPUT_ERRORS[error.code]) return new PaygateError('BAD_REQUEST_ERROR', PG_INPUT_ERRORS[error.code]!, { cause: error });
  const status = error.statusCode;
  const code = status !== undefined ? CODE_BY_STATUS[status] : undefined;
  if (!code) return undefined;
  const friendly = error.code ? FRIENDLY[error.code]?.replace('{limit}', String(bodyLimit)) : undefined;
  return new PaygateError(code, friendly ?? error.message, { cause: error });
}

/**
 * One error handler for the whole API: PaygateError renders as the documented envelope; Fastify's
 * own client errors map to our codes; anything else is a 500 with an opaque body and a full log
 * line under the request id.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance, opts: { bodyLimit: number }) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const known = classify(error, opts.bodyLimit);
      if (known) {
        const status = error.statusCode === 429 ? 429 : httpStatusOf(known.code);
        request.log.info({ code: known.code, field: known.field }, known.description);
        return reply.code(status).send(toErrorBody(known));
      }
      request.log.error({ err: error }, 'unhandled error');
      return reply.code(500).send(
        toErrorBody(new PaygateError('SERVER_ERROR', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`)),
      );
    });

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0];
      reply
        .code(404)
        .send(toErrorBody(new PaygateError('NOT_FOUND_ERROR', `There is no route ${request.method} ${path}. See /docs for the API.`)));
    });
  },
  { name: 'paygate-errors', fastify: '5.x' },
);

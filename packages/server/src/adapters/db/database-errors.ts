import { PaygateError } from '@paygate/core';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, withRetryAfter } from '../../model/retry-after.js';

// SQLSTATEs that mean "the input", not "our bug": a client sent something the column refuses.
// https://www.postgresql.org/docs/current/errcodes-appendix.html
const INPUT_ERRORS: Record<string, string> = {
  '22001': 'A value is too long for its field.',
  '22003': 'A number is out of range.',
  '22007': 'A date or time has the wrong format.',
  '22008': 'A date or time is out of range.',
  '22021': 'A value contains a character that cannot be stored (a NUL byte, \\u0000, or invalid UTF-8).',
  '22P02': 'A value has the wrong format.',
  '22P05': 'A value contains a character that cannot be stored (a NUL byte, \\u0000).',
  '23514': 'The request would break a rule of the data (a check constraint).',
};

// SQLSTATEs that mean "the database is not there right now": class 08 (connection exception),
// shutdowns and "cannot connect now", and too many connections.
const UNAVAILABLE_STATES = /^(08...|57P01|57P02|57P03|53300)$/;
// Socket-level failures to reach it (node errno codes).
const UNREACHABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// node-postgres and knex say it in words only.
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /^timeout expired$/i, // pg's connectionTimeoutMillis
  /is not queryable/i,
  /Knex: Timeout acquiring a connection/i,
  /Unable to acquire a connection/i,
];

type ErrorLike = {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  column?: unknown;
  constraint?: unknown;
  table?: unknown;
  cause?: unknown;
  errors?: unknown;
};

/** The error and what it wraps (a few levels of `cause`, and an AggregateError's members). */
function chainOf(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const visit = (e: unknown, depth: number) => {
    if (typeof e !== 'object' || e === null || depth > 4) return;
    const like = e as ErrorLike;
    out.push(like);
    if (Array.isArray(like.errors)) like.errors.forEach((inner) => visit(inner, depth + 1));
    visit(like.cause, depth + 1);
  };
  visit(error, 0);
  return out;
}

/** `orders_amount_check` on table `orders` → `amount`; the column when PostgreSQL names it. */
function fieldOf(error: ErrorLike): string | undefined {
  if (typeof error.column === 'string' && error.column !== '') return error.column;
  if (typeof error.constraint !== 'string') return undefined;
  const table = typeof error.table === 'string' ? error.table : '';
  const name = error.constraint.startsWith(`${table}_`) ? error.constraint.slice(table.length + 1) : error.constraint;
  const column = name.replace(/_check$/, '');
  return column !== name && /^[a-z_][a-z0-9_]*$/.test(column) ? column : undefined;
}

/** Whether `error` says the database cannot be reached or has no connection to give right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return chainOf(error).some((e) => {
    if (e.name === 'KnexTimeoutError') return true;
    if (typeof e.code === 'string' && (UNAVAILABLE_STATES.test(e.code) || UNREACHABLE_ERRNOS.has(e.code))) return true;
    return typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string));
  });
}

/**
 * A database error in our vocabulary, for REST and tRPC alike: bad input is a 400
 * `BAD_REQUEST_ERROR` (with the field when PostgreSQL names the column or constraint), an
 * unreachable or exhausted database a 503 `SERVICE_UNAVAILABLE_ERROR`; anything else is
 * `undefined`, a bug, for the caller to render as a 500. Descriptions never carry the SQL.
 * The transports get it as their `ClassifyError` port (AppDeps, from gateway.ts).
 */
export function classifyDatabaseError(error: unknown): PaygateError | undefined {
  for (const e of chainOf(error)) {
    const description = typeof e.code === 'string' ? INPUT_ERRORS[e.code] : undefined;
    if (description) {
      const field = fieldOf(e);
      return new PaygateError('BAD_REQUEST_ERROR', field ? `${field}: ${description}` : description, { cause: error, ...(field ? { field } : {}) });
    }
  }
  if (isDatabaseUnavailable(error)) {
    return withRetryAfter(
      new PaygateError(
        'SERVICE_UNAVAILABLE_ERROR',
        `The database is unavailable right now. Retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} s (a POST retried with the same Idempotency-Key runs at most once).`,
        { cause: error },
      ),
      UNAVAILABLE_RETRY_AFTER_SECONDS,
    );
  }
  return undefined;
}

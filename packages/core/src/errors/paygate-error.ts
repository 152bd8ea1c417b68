import { type ErrorCode, httpStatusOf, isErrorCode } from './error-codes.js';

/**
 * Brand set on every {@link PaygateError}. `Symbol.for` is shared across realms (iframes, vm
 * contexts, two copies of this package in one `node_modules`), where `instanceof` fails.
 */
const PAYGATE_ERROR_BRAND: unique symbol = Symbol.for('@paygate/core/PaygateError') as never;

/** Options for {@link PaygateError}: the offending input field and the underlying cause. */
export type PaygateErrorOptions = {
  /** Dotted path of the input field at fault, e.g. `card.number`. */
  field?: string;
  /** What went wrong underneath; kept so its stack survives (like trpc's `TRPCError`). */
  cause?: unknown;
};

/** The wire shape of an error response: `{ error: { code, description, field? } }` (DESIGN.md). */
export type ErrorBody = {
  error: { code: ErrorCode; description: string; field?: string };
};

let clientErrorStacks = true;

/**
 * Whether a client error (a code answered with a 4xx status) records the stack where it is made.
 * On by default: in the client and the CLI that stack points at the caller's own line. An API
 * process turns it off (`gateway.ts`): there a client error is an answer, not a fault, and its
 * stack is never read (the errors plugin logs a 4xx as its code and field), while recording one
 * deep in Fastify's hooks cost the API ≈ 30 µs of CPU of the 90–170 a 404 or a 400 cost it in all
 * (docs/performance.md, eleventh sitting). Server errors (5xx) always keep theirs.
 */
export function setClientErrorStacks(enabled: boolean): void {
  clientErrorStacks = enabled;
}

/**
 * `make()`, with no stack recorded by the errors it makes when client errors carry none (see
 * {@link setClientErrorStacks}): for the errors underneath one, such as a validation library's.
 */
export function withoutClientErrorStacks<T>(make: () => T): T {
  if (clientErrorStacks) return make();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The one error class of Paygate. Branch on `code`, never on the text: the server renders it as
 * the error envelope with `httpStatusOf(code)`, the CLI exits with `exitCodeOf(code)`.
 */
export class PaygateError extends Error {
  /** Machine-readable code from `ERROR_CODES`. */
  readonly code: ErrorCode;
  /** Human-readable explanation that names the field and state and says how to fix it. */
  readonly description: string;
  /** Dotted path of the offending input field, when one is at fault (absent, not `undefined`, otherwise). */
  declare readonly field?: string;
  /** The underlying error, if any (inherited from `Error`; declared for the hover text). */
  declare readonly cause?: unknown;
  /** Cross-realm brand; see {@link isPaygateError}. */
  readonly [PAYGATE_ERROR_BRAND] = true;

  /** Make an error with a code from `ERROR_CODES` and a description that teaches. */
  constructor(code: ErrorCode, description: string, options: PaygateErrorOptions = {}) {
    // The stack is recorded by Error's constructor, so the limit has to be set around super().
    const stackless = !clientErrorStacks && httpStatusOf(code) < 500;
    const limit = Error.stackTraceLimit;
    if (stackless) Error.stackTraceLimit = 0;
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    if (stackless) Error.stackTraceLimit = limit;
    this.name = 'PaygateError';
    this.code = code;
    this.description = description;
    if (options.field !== undefined) this.field = options.field;
  }
}

/**
 * Whether `value` is a {@link PaygateError}. Checks the brand and the code, not only
 * `instanceof`, so it also holds for errors made by another copy of this package or realm.
 */
export function isPaygateError(value: unknown): value is PaygateError {
  if (value instanceof PaygateError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { [PAYGATE_ERROR_BRAND]?: unknown; code?: unknown; description?: unknown };
  return candidate[PAYGATE_ERROR_BRAND] === true && isErrorCode(candidate.code) && typeof candidate.description === 'string';
}

/** Render an error as the API envelope; `field` is present only when the error has one. */
export function toErrorBody(err: PaygateError): ErrorBody {
  const error: ErrorBody['error'] = { code: err.code, description: err.description };
  if (err.field !== undefined) error.field = err.field;
  return { error };
}

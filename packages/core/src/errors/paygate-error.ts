import { type ErrorCode, isErrorCode } from './error-codes.js';

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
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
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

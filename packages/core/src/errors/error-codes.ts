/**
 * The one catalogue of Paygate error codes. Each code carries its HTTP status (REST and tRPC),
 * its CLI exit code and a one-line description. Every map below is derived from this table with
 * `Record<ErrorCode, …>`, so adding a code without a status or exit code does not compile
 * (compare trpc `rpc/codes.ts` + `http/getHTTPStatusCode.ts`; a `switch` with a `default` would
 * quietly turn a new code into a 500).
 */

/** Shape of one row of {@link ERROR_CODES}. */
export type ErrorCodeInfo = {
  readonly httpStatus: number;
  readonly exitCode: number;
  readonly description: string;
};

/** The error code table: code → HTTP status, CLI exit code and a generic description. */
export const ERROR_CODES = {
  BAD_REQUEST_ERROR: {
    httpStatus: 400,
    exitCode: 2,
    description: 'The request is malformed or a field is invalid.',
  },
  AUTHENTICATION_ERROR: {
    httpStatus: 401,
    exitCode: 3,
    description: 'The credentials or the signature are missing or invalid.',
  },
  NOT_FOUND_ERROR: {
    httpStatus: 404,
    exitCode: 4,
    description: 'The resource does not exist or belongs to another merchant.',
  },
  INVALID_STATE_ERROR: {
    httpStatus: 409,
    exitCode: 5,
    description: 'The resource is not in a state that allows this action.',
  },
  IDEMPOTENCY_IN_FLIGHT_ERROR: {
    httpStatus: 409,
    exitCode: 5,
    description: 'A request with this Idempotency-Key is still being processed; retry shortly.',
  },
  IDEMPOTENCY_KEY_REUSED_ERROR: {
    httpStatus: 422,
    exitCode: 5,
    description: 'This Idempotency-Key was already used with a different request body.',
  },
  PAYLOAD_TOO_LARGE_ERROR: {
    httpStatus: 413,
    exitCode: 2,
    description: 'The request body is too large.',
  },
  UNSUPPORTED_MEDIA_TYPE_ERROR: {
    httpStatus: 415,
    exitCode: 2,
    description: 'The request body must be sent as application/json.',
  },
  RATE_LIMIT_ERROR: {
    httpStatus: 429,
    exitCode: 7,
    description: 'Too many requests; slow down and retry later.',
  },
  SERVICE_UNAVAILABLE_ERROR: {
    httpStatus: 503,
    exitCode: 6,
    description: 'The service or one of its dependencies is unavailable or unreachable.',
  },
  SERVER_ERROR: {
    httpStatus: 500,
    exitCode: 1,
    description: 'Something went wrong on our side.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** Every Paygate error code, e.g. `'BAD_REQUEST_ERROR'`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** HTTP status for each error code (derived from {@link ERROR_CODES}). */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = /* @__PURE__ */ mapCodes((info) => info.httpStatus);

/** CLI exit code for each error code (derived from {@link ERROR_CODES}). */
export const EXIT_CODE_BY_CODE: Readonly<Record<ErrorCode, number>> = /* @__PURE__ */ mapCodes((info) => info.exitCode);

/** Whether `value` is one of the known error codes (useful when reading error bodies off the wire). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/** The HTTP status a response carrying this error code is sent with. */
export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS_BY_CODE[code];
}

/** The process exit code the CLI uses for this error code. */
export function exitCodeOf(code: ErrorCode): number {
  return EXIT_CODE_BY_CODE[code];
}

function mapCodes(pick: (info: ErrorCodeInfo) => number): Readonly<Record<ErrorCode, number>> {
  const out = {} as Record<ErrorCode, number>;
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    out[code] = pick(ERROR_CODES[code]);
  }
  return Object.freeze(out);
}

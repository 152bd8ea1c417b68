import { describe, expect, expectTypeOf, it } from 'vitest';
import { ERROR_CODES, EXIT_CODE_BY_CODE, HTTP_STATUS_BY_CODE, type ErrorCode, exitCodeOf, httpStatusOf, isErrorCode } from './error-codes.js';

// The contract other packages build on (STYLE.md §4): code → HTTP status / CLI exit code.
const EXPECTED: Record<ErrorCode, [number, number]> = {
  BAD_REQUEST_ERROR: [400, 2],
  AUTHENTICATION_ERROR: [401, 3],
  NOT_FOUND_ERROR: [404, 4],
  INVALID_STATE_ERROR: [409, 5],
  IDEMPOTENCY_IN_FLIGHT_ERROR: [409, 5],
  IDEMPOTENCY_KEY_REUSED_ERROR: [422, 5],
  PAYLOAD_TOO_LARGE_ERROR: [413, 2],
  UNSUPPORTED_MEDIA_TYPE_ERROR: [415, 2],
  RATE_LIMIT_ERROR: [429, 7],
  SERVICE_UNAVAILABLE_ERROR: [503, 6],
  SERVER_ERROR: [500, 1],
};

describe('ERROR_CODES', () => {
  it('holds exactly the agreed codes', () => {
    expect(Object.keys(ERROR_CODES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s maps to HTTP %j', (code, [status, exit]) => {
    expect(isErrorCode(code)).toBe(true);
    const known = code as ErrorCode;
    expect(httpStatusOf(known)).toBe(status);
    expect(exitCodeOf(known)).toBe(exit);
    expect(HTTP_STATUS_BY_CODE[known]).toBe(status);
    expect(EXIT_CODE_BY_CODE[known]).toBe(exit);
    expect(ERROR_CODES[known].description.length).toBeGreaterThan(10);
  });

  it('derived maps are frozen', () => {
    expect(Object.isFrozen(HTTP_STATUS_BY_CODE)).toBe(true);
    expect(Object.isFrozen(EXIT_CODE_BY_CODE)).toBe(true);
  });

  it('isErrorCode rejects anything else, including inherited keys', () => {
    expect(isErrorCode('TEAPOT_ERROR')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(400)).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });

  it('ErrorCode is the union of the table keys', () => {
    expectTypeOf<'BAD_REQUEST_ERROR'>().toExtend<ErrorCode>();
    expectTypeOf<'TEAPOT_ERROR'>().not.toExtend<ErrorCode>();
  });
});

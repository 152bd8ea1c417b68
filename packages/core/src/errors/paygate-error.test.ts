import { describe, expect, it } from 'vitest';
import { PaygateError, isPaygateError, toErrorBody } from './paygate-error.js';

describe('PaygateError', () => {
  it('carries code, description, field and cause', () => {
    // Given an underlying failure
    const cause = new Error('socket hang up');
    // When it is wrapped
    const err = new PaygateError('BAD_REQUEST_ERROR', 'amount must be an integer', { field: 'amount', cause });
    // Then every part is kept
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('PaygateError');
    expect(err.code).toBe('BAD_REQUEST_ERROR');
    expect(err.description).toBe('amount must be an integer');
    expect(err.message).toBe('amount must be an integer');
    expect(err.field).toBe('amount');
    expect(err.cause).toBe(cause);
    expect(typeof err.stack).toBe('string');
  });

  it('has no field or cause when none is given', () => {
    const err = new PaygateError('NOT_FOUND_ERROR', 'Payment not found');
    expect(err.field).toBeUndefined();
    expect('field' in err).toBe(false);
    expect(err.cause).toBeUndefined();
  });
});

describe('isPaygateError', () => {
  it('is true for instances', () => {
    expect(isPaygateError(new PaygateError('SERVER_ERROR', 'boom'))).toBe(true);
  });

  it('is true for a branded error from another copy or realm (no shared prototype)', () => {
    const foreign = Object.assign(new Error('x'), {
      code: 'NOT_FOUND_ERROR',
      description: 'Order not found',
      [Symbol.for('@paygate/core/PaygateError')]: true,
    });
    expect(foreign instanceof PaygateError).toBe(false);
    expect(isPaygateError(foreign)).toBe(true);
  });

  it('is false for look-alikes without the brand or with an unknown code', () => {
    expect(isPaygateError(Object.assign(new Error('x'), { code: 'NOT_FOUND_ERROR', description: 'd' }))).toBe(false);
    expect(isPaygateError({ code: 'NOPE', description: 'd', [Symbol.for('@paygate/core/PaygateError')]: true })).toBe(false);
    expect(isPaygateError({ code: 'SERVER_ERROR', description: 1, [Symbol.for('@paygate/core/PaygateError')]: true })).toBe(false);
    expect(isPaygateError(new Error('plain'))).toBe(false);
    expect(isPaygateError(null)).toBe(false);
    expect(isPaygateError('BAD_REQUEST_ERROR')).toBe(false);
  });
});

describe('toErrorBody', () => {
  it('renders the API envelope with field', () => {
    const err = new PaygateError('BAD_REQUEST_ERROR', 'card.number is not valid', { field: 'card.number' });
    expect(toErrorBody(err)).toEqual({
      error: { code: 'BAD_REQUEST_ERROR', description: 'card.number is not valid', field: 'card.number' },
    });
  });

  it('omits field when absent (not even undefined)', () => {
    const body = toErrorBody(new PaygateError('AUTHENTICATION_ERROR', 'Invalid API credentials'));
    expect(body).toStrictEqual({ error: { code: 'AUTHENTICATION_ERROR', description: 'Invalid API credentials' } });
    expect(JSON.stringify(body)).toBe('{"error":{"code":"AUTHENTICATION_ERROR","description":"Invalid API credentials"}}');
  });
});

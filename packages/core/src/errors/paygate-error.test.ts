import { afterEach, describe, expect, it } from 'vitest';
import { createOrderSchema } from '../schemas/order.js';
import { parseInput } from '../schemas/parse-input.js';
import { PaygateError, isPaygateError, setClientErrorStacks, toErrorBody, withoutClientErrorStacks } from './paygate-error.js';

/** The frames of a stack (its `    at …` lines); the first line is the error's name and message. */
const framesOf = (error: unknown) => ((error as Error).stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));

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

describe('setClientErrorStacks', () => {
  afterEach(() => setClientErrorStacks(true));

  it('records stacks for every error by default (the client points at its caller)', () => {
    expect(framesOf(new PaygateError('NOT_FOUND_ERROR', 'Payment not found')).length).toBeGreaterThan(0);
    expect(framesOf(new PaygateError('SERVER_ERROR', 'boom')).length).toBeGreaterThan(0);
  });

  it('when off, a 4xx error has no frames and a 5xx error keeps its own', () => {
    // Given an API process's setting
    setClientErrorStacks(false);
    const limit = Error.stackTraceLimit;
    // When errors of both kinds are made
    const notFound = new PaygateError('NOT_FOUND_ERROR', 'Payment not found', { field: 'id' });
    const conflict = new PaygateError('INVALID_STATE_ERROR', 'Order already paid');
    const unavailable = new PaygateError('SERVICE_UNAVAILABLE_ERROR', 'database unreachable');
    // Then the client errors carry their message and no frames; the server error its frames
    expect(framesOf(notFound)).toEqual([]);
    expect(framesOf(conflict)).toEqual([]);
    expect(notFound.stack).toContain('Payment not found');
    expect(notFound.field).toBe('id');
    expect(framesOf(unavailable).length).toBeGreaterThan(0);
    // And the process's own limit is as it was, for every other error
    expect(Error.stackTraceLimit).toBe(limit);
    expect(framesOf(new Error('plain')).length).toBeGreaterThan(0);
  });

  it('when off, parseInput makes its 400 and the validation error under it without frames', () => {
    setClientErrorStacks(false);
    let thrown: unknown;
    try {
      parseInput(createOrderSchema, { amount: -1, currency: 'INR' });
    } catch (error) {
      thrown = error;
    }
    expect(isPaygateError(thrown) && thrown.code).toBe('BAD_REQUEST_ERROR');
    expect((thrown as PaygateError).field).toBe('amount');
    expect(framesOf(thrown)).toEqual([]);
    expect((thrown as PaygateError).cause).toBeInstanceOf(Error);
    expect(framesOf((thrown as PaygateError).cause)).toEqual([]);
  });

  it('withoutClientErrorStacks restores the limit even when what it runs throws', () => {
    setClientErrorStacks(false);
    const limit = Error.stackTraceLimit;
    expect(() =>
      withoutClientErrorStacks(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(Error.stackTraceLimit).toBe(limit);
    // And on again, what it makes has its frames
    setClientErrorStacks(true);
    expect(framesOf(withoutClientErrorStacks(() => new Error('made'))).length).toBeGreaterThan(0);
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

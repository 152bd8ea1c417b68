import { describe, expect, it } from 'vitest';
import { isPaygateError } from '../errors/paygate-error.js';
import { findNulByte, rejectNulBytes } from './nul-bytes.js';
import { parseInput } from './parse-input.js';
import { createOrderSchema } from './order.js';

describe('NUL characters', () => {
  it('finds the dotted path of the first string or key that carries one', () => {
    expect(findNulByte({ a: 'ok', b: { c: ['x', 'y\u0000'] } })).toBe('b.c.1');
    expect(findNulByte({ notes: { 'k\u0000': 'v' } })).toBe('notes');
    expect(findNulByte('\u0000')).toBe('');
    expect(findNulByte({ a: 'fine', n: 1, z: null })).toBeUndefined();
  });

  it('parseInput refuses them with BAD_REQUEST_ERROR and the field, before the schema runs', () => {
    expect.assertions(3);
    try {
      parseInput(createOrderSchema, { amount: 100, receipt: 'a\u0000b' });
    } catch (error) {
      expect(isPaygateError(error) && error.code).toBe('BAD_REQUEST_ERROR');
      expect(isPaygateError(error) && error.field).toBe('receipt');
      expect(isPaygateError(error) && error.description).toContain('NUL');
    }
  });

  it('names the whole value when it is the string itself', () => {
    expect(() => rejectNulBytes('\u0000', 'the id')).toThrow(/the id must not contain a NUL/);
  });
});

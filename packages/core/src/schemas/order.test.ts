import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { PaygateError } from '../errors/paygate-error.js';
import { MAX_AMOUNT } from '../money/money.js';
import { type CreateOrderInput, createOrderSchema } from './order.js';
import { parseInput } from './parse-input.js';

function badRequest(input: unknown): { field: string | undefined; description: string } {
  try {
    parseInput(createOrderSchema, input);
  } catch (err) {
    if (err instanceof PaygateError && err.code === 'BAD_REQUEST_ERROR') {
      return { field: err.field, description: err.description };
    }
    throw err;
  }
  throw new Error('expected BAD_REQUEST_ERROR');
}

const valid = () => ({ amount: 50000, currency: 'INR', receipt: 'receipt_123' });

describe('createOrderSchema', () => {
  it('accepts the seed example', () => {
    expect(parseInput(createOrderSchema, valid())).toEqual({ amount: 50000, currency: 'INR', receipt: 'receipt_123' });
  });

  it('defaults the currency to INR and keeps notes', () => {
    expect(parseInput(createOrderSchema, { amount: 1, notes: { cart: '42' } })).toEqual({
      amount: 1,
      currency: 'INR',
      notes: { cart: '42' },
    });
  });

  it('accepts every valid amount (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_AMOUNT }), (amount) => {
        expect(parseInput(createOrderSchema, { amount }).amount).toBe(amount);
      }),
    );
  });

  it('teaches minor units for a fractional amount', () => {
    expect(badRequest({ ...valid(), amount: 500.5 })).toEqual({
      field: 'amount',
      description: 'amount must be an integer in minor units (e.g. 50000 for ₹500.00); got 500.5',
    });
  });

  it('explains a string amount', () => {
    expect(badRequest({ ...valid(), amount: '500.00' }).description).toBe('amount must be an integer in minor units (e.g. 50000 for ₹500.00); got "500.00"');
  });

  it('says when the amount is missing', () => {
    expect(badRequest({ currency: 'INR' })).toEqual({
      field: 'amount',
      description: 'amount is required: it must be an integer in minor units (e.g. 50000 for ₹500.00)',
    });
  });

  it('rejects zero, negative and too-large amounts', () => {
    expect(badRequest({ amount: 0 }).description).toBe('amount must be at least 1 (minor units, e.g. 50000 for ₹500.00); got 0');
    expect(badRequest({ amount: -5 }).field).toBe('amount');
    expect(badRequest({ amount: MAX_AMOUNT + 1 }).description).toBe(`amount must be at most ${MAX_AMOUNT} minor units; got ${MAX_AMOUNT + 1}`);
  });

  it('lists the supported currencies for an unknown one', () => {
    expect(badRequest({ ...valid(), currency: 'XYZ' })).toEqual({
      field: 'currency',
      description: "currency 'XYZ' is not supported; use one of INR, USD, EUR, GBP, JPY, KWD, AED, SGD, AUD, CAD",
    });
  });

  it('asks for upper case', () => {
    expect(badRequest({ ...valid(), currency: 'inr' }).description).toBe("currency 'inr' must be upper case: use 'INR'");
    expect(badRequest({ ...valid(), currency: 356 }).description).toBe("currency must be a 3-letter ISO 4217 code such as 'INR'; got 356");
  });

  it('limits the receipt to 40 characters', () => {
    expect(parseInput(createOrderSchema, { ...valid(), receipt: 'r'.repeat(40) }).receipt).toHaveLength(40);
    expect(badRequest({ ...valid(), receipt: 'r'.repeat(41) })).toEqual({
      field: 'receipt',
      description: 'receipt must be at most 40 characters; got "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr…"',
    });
    expect(badRequest({ ...valid(), receipt: 7 }).description).toBe('receipt must be a string of at most 40 characters; got 7');
  });

  it('limits notes to 15 string pairs', () => {
    const fifteen = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, 'v']));
    expect(parseInput(createOrderSchema, { ...valid(), notes: fifteen }).notes).toEqual(fifteen);
    expect(badRequest({ ...valid(), notes: { ...fifteen, k15: 'v' } })).toEqual({
      field: 'notes',
      description: 'notes may have at most 15 keys; got 16',
    });
    expect(badRequest({ ...valid(), notes: { a: 1 } })).toEqual({
      field: 'notes.a',
      description: 'each value in notes must be a string of at most 256 characters; got 1',
    });
    expect(badRequest({ ...valid(), notes: { a: 'x'.repeat(257) } }).description).toBe('each value in notes must be at most 256 characters');
    expect(badRequest({ ...valid(), notes: { ['k'.repeat(257)]: 'x' } })).toEqual({
      field: 'notes',
      description: 'notes keys must be at most 256 characters',
    });
    expect(badRequest({ ...valid(), notes: ['a'] }).description).toMatch(/^notes must be an object of at most 15/);
  });

  it('rejects unknown fields, naming them and the allowed ones', () => {
    expect(badRequest({ ...valid(), ammount: 5 })).toEqual({
      field: 'ammount',
      description: "field 'ammount' is not allowed; allowed fields: amount, currency, receipt, notes",
    });
  });

  it('names every unknown field; the error field is the first', () => {
    expect(badRequest({ ...valid(), foo: 1, bar: 2 })).toEqual({
      field: 'foo',
      description: "fields 'foo', 'bar' are not allowed; allowed fields: amount, currency, receipt, notes",
    });
  });

  it('rejects a body that is not an object, without a field', () => {
    expect(badRequest(null)).toEqual({
      field: undefined,
      description: 'the request body must be a JSON object with amount, currency, receipt, notes; got null',
    });
    expect(badRequest([1]).description).toMatch(/got an array$/);
  });

  it('infers the parsed type', () => {
    expectTypeOf<CreateOrderInput>().toEqualTypeOf<{
      amount: number;
      currency: 'INR' | 'USD' | 'EUR' | 'GBP' | 'JPY' | 'KWD' | 'AED' | 'SGD' | 'AUD' | 'CAD';
      receipt?: string | undefined;
      notes?: Record<string, string> | undefined;
    }>();
  });
});

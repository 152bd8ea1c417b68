import { describe, expect, expectTypeOf, it } from 'vitest';
import { PaygateError } from '../errors/paygate-error.js';
import type { OrderId } from '../ids/ids.js';
import { parseInput } from './parse-input.js';
import { type CreateCardPaymentInput, type CreatePaymentInput, createPaymentSchema, makeCreatePaymentSchema } from './payment.js';

const NOW = new Date('2026-11-15T12:00:00Z');
const ORDER = 'order_NXhj67fGH2jk9mPq';

const upi = () => ({ order_id: ORDER, method: 'upi', vpa: 'user@paytm' });
const card = (over: Record<string, unknown> = {}) => ({
  order_id: ORDER,
  method: 'card',
  card: { number: '4111 1111 1111 1111', expiry_month: 12, expiry_year: 2030, cvv: '123', name: 'Asha', ...over },
});

function badRequest(input: unknown, now: Date = NOW): { field: string | undefined; description: string } {
  try {
    parseInput(createPaymentSchema, input, now);
  } catch (err) {
    if (err instanceof PaygateError && err.code === 'BAD_REQUEST_ERROR') {
      return { field: err.field, description: err.description };
    }
    throw err;
  }
  throw new Error('expected BAD_REQUEST_ERROR');
}

describe('createPaymentSchema: UPI', () => {
  it('accepts the seed example', () => {
    expect(parseInput(createPaymentSchema, upi())).toEqual(upi());
  });

  it('rejects a malformed VPA with the expected shape', () => {
    expect(badRequest({ ...upi(), vpa: 'user' })).toEqual({
      field: 'vpa',
      description:
        "vpa must be a UPI address like name@bank (e.g. user@paytm): 2–256 letters, digits, '.', '-' or '_', then '@' and 2–64 letters; got \"user\"",
    });
    expect(badRequest({ order_id: ORDER, method: 'upi' })).toEqual({
      field: 'vpa',
      description: 'vpa is required: it must be a UPI address like name@bank (e.g. user@paytm)',
    });
  });

  it('rejects card fields on a UPI payment', () => {
    expect(badRequest({ ...upi(), card: card().card })).toEqual({
      field: 'card',
      description: "field 'card' is not allowed; allowed fields: order_id, method, vpa",
    });
  });

  it('needs an order id', () => {
    expect(badRequest({ ...upi(), order_id: 'pay_H8sK3jD9s2L1pQrA' })).toEqual({
      field: 'order_id',
      description:
        "order_id must be an order id: 'order_' followed by 16 letters or digits (e.g. order_XXXXXXXXXXXXXXXX); 'pay_H8sK3jD9s2L1pQrA' is a payment id",
    });
    expect(badRequest({ method: 'upi', vpa: 'user@paytm' }).description).toMatch(/^order_id must be an order id.*, not undefined$/);
  });

  it('names the allowed methods', () => {
    expect(badRequest({ order_id: ORDER, method: 'netbanking' })).toEqual({
      field: 'method',
      description: `method must be 'upi' or 'card'; got "netbanking"`,
    });
    expect(badRequest({ order_id: ORDER })).toEqual({
      field: 'method',
      description: `method is required: it must be 'upi' or 'card'`,
    });
  });
});

describe('createPaymentSchema: card', () => {
  it('normalises the number and turns expiry strings into numbers', () => {
    const parsed = parseInput(createPaymentSchema, card({ expiry_month: '07', expiry_year: '30' }), NOW);
    expect(parsed).toEqual({
      order_id: ORDER,
      method: 'card',
      card: { number: '4111111111111111', expiry_month: 7, expiry_year: 2030, cvv: '123', name: 'Asha' },
    });
  });

  it('accepts 4-digit CVVs for amex and no name', () => {
    const { name: _unused, ...noName } = card({ number: '378282246310005', cvv: '1234' }).card;
    const parsed = parseInput(createPaymentSchema, { order_id: ORDER, method: 'card', card: noName }, NOW);
    expect(parsed).toMatchObject({ card: { number: '378282246310005', cvv: '1234' } });
  });

  it('fails Luhn with a hint and without echoing the number', () => {
    const result = badRequest(card({ number: '4111 1111 1111 1112' }));
    expect(result).toEqual({
      field: 'card.number',
      description: 'card.number is not a valid card number: its check digit (Luhn) does not match; for tests use 4111 1111 1111 1111',
    });
  });

  it('checks the length before Luhn', () => {
    expect(badRequest(card({ number: '4111' }))).toEqual({
      field: 'card.number',
      description: 'card.number must be 12 to 19 digits (spaces and dashes are ignored)',
    });
  });

  it('explains why a numeric card number is refused', () => {
    expect(badRequest(card({ number: 4111111111111111 })).description).toBe(
      'card.number must be a string of digits: as a JSON number it loses digits (send "4111111111111111")',
    );
    expect(badRequest(card({ number: undefined })).description).toBe('card.number is required: it must be a string of 12 to 19 digits');
    expect(badRequest(card({ number: true })).description).toBe('card.number must be a string of 12 to 19 digits');
  });

  it('refuses an expired card: past year → expiry_year, past month this year → expiry_month', () => {
    expect(badRequest(card({ expiry_month: 12, expiry_year: 2025 }))).toEqual({
      field: 'card.expiry_year',
      description: 'card.expiry_year: the card expired at the end of 12/2025; use a card that expires in the future',
    });
    expect(badRequest(card({ expiry_month: 10, expiry_year: 26 }))).toEqual({
      field: 'card.expiry_month',
      description: 'card.expiry_month: the card expired at the end of 10/2026; use a card that expires in the future',
    });
  });

  it('uses the injected clock: valid through the end of the expiry month', () => {
    const input = card({ expiry_month: 11, expiry_year: 2026 });
    expect(() => parseInput(createPaymentSchema, input, new Date('2026-11-30T23:59:59Z'))).not.toThrow();
    expect(badRequest(input, new Date('2026-12-01T00:00:00Z')).field).toBe('card.expiry_month');
    // a clock function works too, and a schema built for a clock keeps it
    expect(() => parseInput(createPaymentSchema, input, () => new Date('2026-12-01T00:00:00Z'))).toThrow(PaygateError);
    const late = makeCreatePaymentSchema(() => new Date('2027-01-01T00:00:00Z'));
    expect(late.safeParse(input).success).toBe(false);
    expect(late.safeParse(card()).success).toBe(true);
  });

  it('uses the real clock without `now`', () => {
    expect(() => parseInput(createPaymentSchema, card({ expiry_month: 1, expiry_year: 2000 }))).toThrow(PaygateError);
    expect(parseInput(createPaymentSchema, card({ expiry_year: 9999 })).method).toBe('card');
  });

  it('rejects impossible expiry fields', () => {
    expect(badRequest(card({ expiry_month: 13 }))).toEqual({
      field: 'card.expiry_month',
      description: "card.expiry_month must be a month from 1 to 12 (a number or a numeric string such as '07'); got 13",
    });
    expect(badRequest(card({ expiry_month: 'July' })).field).toBe('card.expiry_month');
    expect(badRequest(card({ expiry_month: null })).description).toBe(
      "card.expiry_month must be a month from 1 to 12 (a number or a numeric string such as '07'); got null",
    );
    expect(badRequest(card({ expiry_year: 203 }))).toEqual({
      field: 'card.expiry_year',
      description: 'card.expiry_year must be a 2- or 4-digit year (e.g. 27 or 2027, as a number or a string); got 203',
    });
  });

  it('checks the CVV per network, never echoing it', () => {
    expect(badRequest(card({ cvv: '1234' }))).toEqual({
      field: 'card.cvv',
      description: 'card.cvv must be 3 digits for a visa network (4 only for American Express)',
    });
    expect(badRequest(card({ number: '378282246310005', cvv: '123' }))).toEqual({
      field: 'card.cvv',
      description: 'card.cvv must be 4 digits for an American Express card',
    });
    expect(badRequest(card({ number: '9999 9999 9999 9995', cvv: '12' })).description).toBe('card.cvv must be 3 digits (4 for American Express)');
    expect(badRequest(card({ number: '9999 9999 9999 9995', cvv: '1234' })).description).toBe(
      'card.cvv must be 3 digits for a card of this network (4 only for American Express)',
    );
    expect(badRequest(card({ cvv: 123 })).description).toBe('card.cvv must be a string of digits (as a JSON number it loses leading zeros, e.g. "012")');
    expect(badRequest(card({ cvv: undefined })).description).toBe('card.cvv is required: it must be a string of 3 digits (4 for American Express)');
    expect(badRequest(card({ cvv: ['1'] })).description).toBe('card.cvv must be a string of 3 digits (4 for American Express)');
  });

  it('limits the name and rejects unknown card fields', () => {
    expect(badRequest(card({ name: 'n'.repeat(101) }))).toEqual({
      field: 'card.name',
      description: 'card.name must be at most 100 characters',
    });
    expect(badRequest(card({ name: 5 })).description).toBe("card.name must be the cardholder's name, at most 100 characters; got 5");
    expect(badRequest(card({ pin: '1234' }))).toEqual({
      field: 'card.pin',
      description: "field 'pin' is not allowed in card; allowed fields: number, expiry_month, expiry_year, cvv, name",
    });
  });

  it('needs the card object', () => {
    expect(badRequest({ order_id: ORDER, method: 'card' })).toEqual({
      field: 'card',
      description: 'card is required: an object with number, expiry_month, expiry_year, cvv, name',
    });
    expect(badRequest({ order_id: ORDER, method: 'card', card: '4111111111111111' }).description).toBe(
      'card must be a JSON object with number, expiry_month, expiry_year, cvv, name; got "4111111111111111"',
    );
  });

  it('infers a discriminated union', () => {
    expectTypeOf<CreatePaymentInput['order_id']>().toEqualTypeOf<OrderId>();
    expectTypeOf<CreateCardPaymentInput['card']['expiry_year']>().toEqualTypeOf<number>();
    expectTypeOf<CreatePaymentInput['method']>().toEqualTypeOf<'upi' | 'card'>();
  });
});

describe('createPaymentSchema: body', () => {
  it('rejects a body that is not an object', () => {
    expect(badRequest('pay me')).toEqual({
      field: undefined,
      description: 'the request body must be a JSON object with order_id, method and vpa or card; got "pay me"',
    });
  });
});

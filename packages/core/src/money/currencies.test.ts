import { describe, expect, it } from 'vitest';
import { CURRENCIES, CURRENCY_CODES, DEFAULT_CURRENCY, currencyExponent, isCurrencyCode } from './currencies.js';

describe('CURRENCIES', () => {
  it('has the required currencies with their ISO 4217 exponents', () => {
    const exponents = Object.fromEntries(CURRENCY_CODES.map((c) => [c, currencyExponent(c)]));
    expect(exponents).toEqual({
      INR: 2,
      USD: 2,
      EUR: 2,
      GBP: 2,
      JPY: 0,
      KWD: 3,
      AED: 2,
      SGD: 2,
      AUD: 2,
      CAD: 2,
    });
    expect(CURRENCY_CODES).toEqual(Object.keys(CURRENCIES));
    expect(DEFAULT_CURRENCY).toBe('INR');
  });

  it('every code is three upper-case letters that Intl knows', () => {
    for (const code of CURRENCY_CODES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      // Intl's own digit count for the currency matches our exponent.
      const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits;
      expect(digits).toBe(currencyExponent(code));
    }
  });
});

describe('isCurrencyCode', () => {
  it('accepts supported codes only, exactly', () => {
    expect(isCurrencyCode('INR')).toBe(true);
    expect(isCurrencyCode('KWD')).toBe(true);
    expect(isCurrencyCode('inr')).toBe(false);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(isCurrencyCode('hasOwnProperty')).toBe(false);
    expect(isCurrencyCode(356)).toBe(false);
  });
});

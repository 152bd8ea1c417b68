import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES } from './currencies.js';
import { MAX_AMOUNT, formatMoney, isValidAmount, toMajorUnits } from './money.js';

describe('isValidAmount', () => {
  it('accepts safe integers from 1 to MAX_AMOUNT', () => {
    expect(MAX_AMOUNT).toBe(100_000_000_000);
    expect(isValidAmount(1)).toBe(true);
    expect(isValidAmount(50000)).toBe(true);
    expect(isValidAmount(MAX_AMOUNT)).toBe(true);
  });

  it('rejects zero, negatives, fractions, too large, non-numbers', () => {
    for (const bad of [0, -1, 1.5, MAX_AMOUNT + 1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '100', null]) {
      expect(isValidAmount(bad)).toBe(false);
    }
  });

  it('agrees with its definition (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger()), (n) => {
        expect(isValidAmount(n)).toBe(Number.isSafeInteger(n) && n >= 1 && n <= MAX_AMOUNT);
      }),
    );
  });
});

describe('toMajorUnits', () => {
  it('divides by 10^exponent', () => {
    expect(toMajorUnits(50000, 'INR')).toBe(500);
    expect(toMajorUnits(12345, 'USD')).toBe(123.45);
    expect(toMajorUnits(500, 'JPY')).toBe(500);
    expect(toMajorUnits(1234, 'KWD')).toBe(1.234);
  });
});

describe('formatMoney', () => {
  it('formats with the currency exponent, en-IN by default', () => {
    expect(formatMoney({ amount: 50000, currency: 'INR' })).toBe('₹500.00');
    expect(formatMoney({ amount: 100_000_000_000, currency: 'INR' })).toBe('₹1,00,00,00,000.00');
    expect(formatMoney({ amount: 1, currency: 'INR' })).toBe('₹0.01');
  });

  it('uses the locale and the exponent of each currency', () => {
    // Intl separates some symbols with a no-break space; compare with plain spaces.
    const plain = (text: string) => text.replace(/\u00a0/g, ' ');
    expect(formatMoney({ amount: 12345, currency: 'USD' }, 'en-US')).toBe('$123.45');
    expect(formatMoney({ amount: 500, currency: 'JPY' }, 'en-US')).toBe('¥500');
    expect(plain(formatMoney({ amount: 1234, currency: 'KWD' }, 'en-US'))).toBe('KWD 1.234');
    expect(plain(formatMoney({ amount: 123456, currency: 'EUR' }, 'de-DE'))).toBe('1.234,56 €');
  });

  it('never loses or invents minor units (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_AMOUNT }), fc.constantFrom(...CURRENCY_CODES), (amount, currency) => {
        const text = formatMoney({ amount, currency }, 'en-US');
        const digits = text.replace(/\D/g, '');
        expect(BigInt(digits)).toBe(BigInt(amount));
      }),
    );
  });
});

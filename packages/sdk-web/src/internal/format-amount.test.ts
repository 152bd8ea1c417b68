import { describe, expect, it } from 'vitest';
import { formatAmount as format, upiAmount } from './format-amount.js';

// Intl puts a no-break space between a currency code and the number.
const formatAmount = (...args: Parameters<typeof format>) => format(...args).replace(/\u00a0/g, ' ');

describe('formatAmount', () => {
  it('formats minor units with the currency exponent', () => {
    expect(formatAmount(50_000, 'INR')).toBe('₹500.00');
    expect(formatAmount(12_345_678, 'INR')).toBe('₹1,23,456.78');
    expect(formatAmount(500, 'JPY')).toBe('JP¥500');
    expect(formatAmount(1_000, 'KWD')).toBe('KWD 1.000');
    expect(formatAmount(1_999, 'USD', 'en-US')).toBe('$19.99');
  });

  it('falls back to Intl for a currency the gateway does not list', () => {
    expect(formatAmount(1_050, 'CHF', 'en-US')).toBe('CHF 10.50');
  });

  it('gives UPI the amount in rupees with two decimals', () => {
    expect(upiAmount(50_000)).toBe('500.00');
    expect(upiAmount(1)).toBe('0.01');
  });
});

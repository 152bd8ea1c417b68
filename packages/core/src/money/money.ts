import { type CurrencyCode, currencyExponent } from './currencies.js';

/** An amount of money: `amount` is a safe integer in the currency's minor units (paise, cents). */
export type Money = { amount: number; currency: CurrencyCode };

/**
 * The largest single amount accepted anywhere, in minor units (₹1,000,000,000.00 for INR).
 * Far below `Number.MAX_SAFE_INTEGER`, so sums of many refunds stay exact.
 */
export const MAX_AMOUNT = 100_000_000_000;

/** Whether `n` is a valid amount: a safe integer from 1 to {@link MAX_AMOUNT}. */
export function isValidAmount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 && n <= MAX_AMOUNT;
}

/**
 * Minor units to major units for display only (50000 INR → 500). The result is a float; never
 * compute with it.
 */
export function toMajorUnits(amount: number, currency: CurrencyCode): number {
  return amount / 10 ** currencyExponent(currency);
}

/**
 * Format money for people, e.g. `formatMoney({ amount: 50000, currency: 'INR' })` → `'₹500.00'`.
 * Uses `Intl.NumberFormat` with exactly the currency's exponent as fraction digits.
 */
export function formatMoney(money: Money, locale = 'en-IN'): string {
  const digits = currencyExponent(money.currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: money.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(toMajorUnits(money.amount, money.currency));
}

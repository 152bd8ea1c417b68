import { formatMoney, isCurrencyCode } from '@paygate/core';

/**
 * An amount in minor units for people: `formatAmount(50000, 'INR')` → `'₹500.00'`. A currency
 * the gateway knows uses its exponent (JPY 0, KWD 3); any other falls back to Intl's digits.
 */
export function formatAmount(amount: number, currency: string, locale = 'en-IN'): string {
  if (isCurrencyCode(currency)) return formatMoney({ amount, currency }, locale);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

/** The amount in major units as UPI's `am` parameter wants it (`50000` INR → `'500.00'`). */
export function upiAmount(amount: number): string {
  return (amount / 100).toFixed(2);
}

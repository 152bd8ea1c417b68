/**
 * Supported currencies and their minor-unit exponent (ISO 4217; docs.stripe.com/currencies):
 * an amount of 50000 INR is ₹500.00 (exponent 2), 500 JPY is ¥500 (exponent 0), 1000 KWD is
 * 1.000 KD (exponent 3).
 */
export const CURRENCIES = {
  INR: { exponent: 2, name: 'Indian rupee' },
  USD: { exponent: 2, name: 'US dollar' },
  EUR: { exponent: 2, name: 'Euro' },
  GBP: { exponent: 2, name: 'Pound sterling' },
  JPY: { exponent: 0, name: 'Japanese yen' },
  KWD: { exponent: 3, name: 'Kuwaiti dinar' },
  AED: { exponent: 2, name: 'UAE dirham' },
  SGD: { exponent: 2, name: 'Singapore dollar' },
  AUD: { exponent: 2, name: 'Australian dollar' },
  CAD: { exponent: 2, name: 'Canadian dollar' },
} as const satisfies Record<string, { exponent: 0 | 2 | 3; name: string }>;

/** An ISO 4217 code Paygate supports, e.g. `'INR'`. */
export type CurrencyCode = keyof typeof CURRENCIES;

/** Every supported currency code, in table order (INR first). */
export const CURRENCY_CODES = Object.freeze(Object.keys(CURRENCIES)) as readonly CurrencyCode[];

/** The currency used when an order does not name one (the seed's default). */
export const DEFAULT_CURRENCY: CurrencyCode = 'INR';

/** Whether `value` is a supported currency code (exact, upper case). */
export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CURRENCIES, value);
}

/** Number of minor-unit digits of a currency: 2 for INR (paise), 0 for JPY, 3 for KWD. */
export function currencyExponent(code: CurrencyCode): number {
  return CURRENCIES[code].exponent;
}

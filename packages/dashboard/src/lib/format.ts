/**
 * Display edges only: amounts arrive in minor units (integers) and leave as the browser's
 * locale writes them; times arrive in UTC and show in the browser's time zone.
 */

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string): Intl.NumberFormat {
  let f = formatters.get(currency);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formatters.set(currency, f);
  }
  return f;
}

/** How many minor units make a major one (INR 2, JPY 0, KWD 3), as Intl knows the currency. */
export function currencyExponent(currency: string): number {
  return currencyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** 50000 INR → "₹500.00" (in the browser's locale). */
export function formatMoney(minor: number, currency: string): string {
  return currencyFormat(currency).format(minor / 10 ** currencyExponent(currency));
}

/** "500.50" in the currency's major units → 50050 minor units; undefined if it is not a positive amount with at most the currency's decimals. */
export function parseMajorAmount(text: string, currency: string): number | undefined {
  const exponent = currencyExponent(currency);
  const match = /^\s*(\d+)(?:[.,](\d+))?\s*$/.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  const minor = Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  return Number.isSafeInteger(minor) && minor > 0 ? minor : undefined;
}

/** Minor units → the major-unit text an input shows ("500.50"). */
export function toMajorText(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  return exponent === 0 ? String(minor) : (minor / 10 ** exponent).toFixed(exponent);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function formatTime(iso: string): string {
  return timeOnly.format(new Date(iso));
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? '—' : new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/** Local midnight of today, in the browser's zone: what "today" means to the person looking. */
export function startOfToday(now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

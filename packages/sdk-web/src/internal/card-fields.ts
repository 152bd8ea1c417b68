import { cvvLengthFor, detectCardNetwork, isCardExpired, isValidVpa, luhnCheck, type CardNetwork } from '@paygate/core';

/** How many digits a card of this network has (American Express 15; 16 for the rest, 19 at most when unknown). */
export function cardLengthFor(network: CardNetwork): number {
  if (network === 'amex') return 15;
  return network === 'unknown' ? 19 : 16;
}

/**
 * The card number as typed, kept to digits and grouped the way the card prints it:
 * `4111 1111 1111 1111`, American Express `3782 822463 10005`.
 */
export function formatCardNumber(input: string): string {
  const network = detectCardNetwork(input.replace(/\D/g, ''));
  const digits = input.replace(/\D/g, '').slice(0, cardLengthFor(network));
  const groups = network === 'amex' ? [4, 6, 5] : [4, 4, 4, 4, 3];
  const parts: string[] = [];
  let at = 0;
  for (const size of groups) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join(' ');
}

/** The network's name for people ('' while unknown). */
export function networkLabel(network: CardNetwork): string {
  const labels: Record<CardNetwork, string> = {
    visa: 'Visa',
    mastercard: 'Mastercard',
    amex: 'American Express',
    rupay: 'RuPay',
    discover: 'Discover',
    unknown: '',
  };
  return labels[network];
}

/**
 * The expiry as typed, kept as `MM/YY`: `'1'` stays `'1'`, `'3'` becomes `'03/'`… A slash is
 * added after the month so people only type digits; deleting it works (`wasDeleting`).
 */
export function formatExpiry(input: string, wasDeleting = false): string {
  let digits = input.replace(/\D/g, '').slice(0, 4);
  // A first digit above 1 can only be a one-digit month.
  if (digits.length === 1 && Number(digits) > 1) digits = `0${digits}`;
  if (digits.length < 2) return digits;
  if (digits.length === 2) return wasDeleting ? digits : `${digits}/`;
  return `${digits.slice(0, 2)}/${digits.slice(2)}`;
}

/** `'07/29'` → `{month: 7, year: 2029}`; `null` unless it is a complete `MM/YY`. */
export function parseExpiry(value: string): { month: number; year: number } | null {
  const match = /^(\d{2})\s*\/\s*(\d{2})$/.exec(value.trim());
  if (!match) return null;
  return { month: Number(match[1]), year: 2000 + Number(match[2]) };
}

/** What is wrong with the card number, or `null`. `complete`: judge it as final (on blur or submit). */
export function cardNumberError(value: string, complete: boolean): string | null {
  const digits = value.replace(/\D/g, '');
  const network = detectCardNetwork(digits);
  const full = digits.length >= cardLengthFor(network);
  if (digits.length === 0) return complete ? 'Enter the card number.' : null;
  if (!full && !complete) return null;
  if (digits.length < 12) return 'The card number is too short.';
  return luhnCheck(digits) ? null : 'This card number is not valid. Check the digits.';
}

/** What is wrong with an `MM/YY` expiry at `now`, or `null`. */
export function expiryError(value: string, now: Date, complete: boolean): string | null {
  if (value.replace(/\D/g, '').length < 4) return complete ? 'Enter the expiry as MM/YY.' : null;
  const parsed = parseExpiry(value);
  if (!parsed || parsed.month < 1 || parsed.month > 12) return 'The month must be 01 to 12.';
  return isCardExpired(parsed.month, parsed.year, now) ? 'This card has expired.' : null;
}

/** What is wrong with the CVV for the card's network (4 digits for American Express, else 3), or `null`. */
export function cvvError(value: string, cardNumber: string, complete: boolean): string | null {
  const length = cvvLengthFor(detectCardNetwork(cardNumber.replace(/\D/g, '')));
  if (value.length === 0) return complete ? `Enter the ${length}-digit CVV.` : null;
  if (!/^\d+$/.test(value)) return 'The CVV has digits only.';
  if (value.length < length && !complete) return null;
  return value.length === length ? null : `The CVV has ${length} digits.`;
}

/** What is wrong with a UPI ID (VPA) like `name@bank`, or `null`. */
export function vpaError(value: string, complete: boolean): string | null {
  const vpa = value.trim();
  if (vpa.length === 0) return complete ? 'Enter your UPI ID, like name@bank.' : null;
  if (!complete && !vpa.includes('@')) return null;
  return isValidVpa(vpa) ? null : 'Enter a UPI ID like name@bank.';
}

/** What is wrong with the cardholder's name, or `null` (it is optional for the API, but a checkout asks). */
export function nameError(value: string, complete: boolean): string | null {
  if (value.trim().length === 0) return complete ? 'Enter the name on the card.' : null;
  return value.length > 100 ? 'The name is at most 100 characters.' : null;
}

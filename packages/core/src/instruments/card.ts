/** Card networks Paygate recognises from the number; anything else is `'unknown'`. */
export type CardNetwork = 'visa' | 'mastercard' | 'amex' | 'rupay' | 'discover' | 'unknown';

/** Every value of {@link CardNetwork}. */
export const CARD_NETWORKS: readonly CardNetwork[] = ['visa', 'mastercard', 'amex', 'rupay', 'discover', 'unknown'];

/** A card number without the spaces and dashes people type (`'4111 1111-1111 1111'` → `'4111111111111111'`). */
export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/**
 * Whether the number passes the Luhn (mod 10) checksum. Spaces and dashes are ignored; anything
 * else that is not a digit, or an empty number, fails.
 */
export function luhnCheck(number: string): boolean {
  const digits = normalizeCardNumber(number);
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit counting from the right (the check digit is not doubled).
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

type PrefixRule = { network: Exclude<CardNetwork, 'unknown'>; from: number; to: number; digits: number };

// Checked in order; the first rule whose prefix range contains the number's first `digits`
// digits wins. Order matters where networks overlap:
// - Discover's own ranges (6011, 622126–622925, 644–649) come before RuPay's broad `60`.
// - `65` is shared by Discover and RuPay (RuPay cards in India are issued on 65xx BINs under the
//   RuPay–Discover alliance). Paygate simulates an Indian gateway, so `65` reads as RuPay; a US
//   Discover 65xx card shows as `rupay`, which changes only the label (both use a 3-digit CVV).
// - `353` and `356` fall in JCB's 3528–3589; JCB is not a network here, so they read as RuPay.
const PREFIX_RULES: readonly PrefixRule[] = [
  { network: 'amex', from: 34, to: 34, digits: 2 },
  { network: 'amex', from: 37, to: 37, digits: 2 },
  { network: 'visa', from: 4, to: 4, digits: 1 },
  { network: 'mastercard', from: 51, to: 55, digits: 2 },
  { network: 'mastercard', from: 2221, to: 2720, digits: 4 },
  { network: 'discover', from: 6011, to: 6011, digits: 4 },
  { network: 'discover', from: 622126, to: 622925, digits: 6 },
  { network: 'discover', from: 644, to: 649, digits: 3 },
  { network: 'rupay', from: 60, to: 60, digits: 2 },
  { network: 'rupay', from: 65, to: 65, digits: 2 },
  { network: 'rupay', from: 81, to: 82, digits: 2 },
  { network: 'rupay', from: 508, to: 508, digits: 3 },
  { network: 'rupay', from: 353, to: 353, digits: 3 },
  { network: 'rupay', from: 356, to: 356, digits: 3 },
];

/**
 * The card network from the number's leading digits (IIN ranges). RuPay: 60, 65, 81, 82, 508,
 * 353, 356; Discover's narrower ranges (6011, 622126–622925, 644–649) win over RuPay's `60`,
 * while `65` is RuPay (see the table's comment for why).
 */
export function detectCardNetwork(number: string): CardNetwork {
  const digits = normalizeCardNumber(number);
  if (!/^\d+$/.test(digits)) return 'unknown';
  for (const rule of PREFIX_RULES) {
    if (digits.length < rule.digits) continue;
    const prefix = Number(digits.slice(0, rule.digits));
    if (prefix >= rule.from && prefix <= rule.to) return rule.network;
  }
  return 'unknown';
}

/** The last four digits of a card number: the only part of it Paygate stores (with the network). */
export function cardLast4(number: string): string {
  return normalizeCardNumber(number).slice(-4);
}

/**
 * Whether a card with this expiry is expired at `now`. A card is valid through the last day of
 * its expiry month (UTC). `year` may have 2 digits (`27` → 2027) or 4. A month outside 1–12 or a
 * year that is neither 2 nor 4 digits counts as expired, since it can never be charged.
 */
export function isCardExpired(month: number, year: number, now: Date): boolean {
  if (!Number.isInteger(month) || month < 1 || month > 12) return true;
  if (!Number.isInteger(year) || year < 0) return true;
  let fullYear: number;
  if (year < 100) fullYear = 2000 + year;
  else if (year >= 1000 && year <= 9999) fullYear = year;
  else return true;
  const nowYear = now.getUTCFullYear();
  const nowMonth = now.getUTCMonth() + 1;
  return fullYear < nowYear || (fullYear === nowYear && month < nowMonth);
}

/** The CVV length a network uses: 4 for American Express, 3 for everything else. */
export function cvvLengthFor(network: CardNetwork): 3 | 4 {
  return network === 'amex' ? 4 : 3;
}

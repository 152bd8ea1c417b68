import { normalizeCardNumber } from '../instruments/card.js';

/** Why a simulated payment failed; stored on the payment as `error_code`. */
export type PaymentErrorCode =
  'CARD_DECLINED' | 'INSUFFICIENT_FUNDS' | 'EXPIRED_CARD' | 'PROCESSING_ERROR' | 'UPI_DECLINED' | 'PAYMENT_FAILED' | 'ORDER_ALREADY_PAID';

/**
 * The outcome a magic value forces: success (and, with `refundsFail`, every refund of the payment
 * fails), or failure with a code and a description.
 */
export type MagicOutcome = { status: 'success'; refundsFail?: true } | { status: 'failed'; errorCode: PaymentErrorCode; errorDescription: string };

/** The shopper-facing description of each payment error code (`error_description`). */
export const PAYMENT_ERROR_DESCRIPTIONS: Readonly<Record<PaymentErrorCode, string>> = {
  CARD_DECLINED: 'The card was declined by the issuing bank.',
  INSUFFICIENT_FUNDS: 'The card has insufficient funds to complete the payment.',
  EXPIRED_CARD: 'The issuing bank reports that the card has expired.',
  PROCESSING_ERROR: 'An error occurred while processing the card; try again.',
  UPI_DECLINED: "The UPI payment was declined by the payer's bank or app.",
  PAYMENT_FAILED: 'The payment could not be completed.',
  // Not a processor outcome: the gateway's own rule that an order is paid once. A payment that
  // would have succeeded after another payment of its order did is failed, never charged.
  ORDER_ALREADY_PAID: 'The order was already paid by another payment; this payment was not charged.',
};

/** One row of {@link MAGIC_VALUES}. */
export type MagicValue = {
  method: 'upi' | 'card';
  /** The VPA, or the card number without spaces. */
  value: string;
  /** What the row is for, in a few words. */
  label: string;
  outcome: MagicOutcome;
};

function failed(errorCode: PaymentErrorCode): MagicOutcome {
  return { status: 'failed', errorCode, errorDescription: PAYMENT_ERROR_DESCRIPTIONS[errorCode] };
}

/**
 * Test instruments with a fixed outcome, in every mode and over `TEST_PAYMENT_SUCCESS`. The
 * server never stores a PAN, so {@link classifyInstrument} resolves them when the payment is
 * created and the outcome travels with the payment. Rendered into `packages/core/README.md`.
 */
export const MAGIC_VALUES: readonly MagicValue[] = [
  { method: 'upi', value: 'success@paygate', label: 'UPI, succeeds', outcome: { status: 'success' } },
  { method: 'upi', value: 'failure@paygate', label: 'UPI, declined', outcome: failed('UPI_DECLINED') },
  { method: 'card', value: '4111111111111111', label: 'Visa, succeeds', outcome: { status: 'success' } },
  { method: 'card', value: '5555555555554444', label: 'Mastercard, succeeds', outcome: { status: 'success' } },
  { method: 'card', value: '378282246310005', label: 'American Express, succeeds (4-digit CVV)', outcome: { status: 'success' } },
  { method: 'card', value: '6073849700000002', label: 'RuPay, succeeds', outcome: { status: 'success' } },
  { method: 'card', value: '4000000000000002', label: 'Visa, declined', outcome: failed('CARD_DECLINED') },
  { method: 'card', value: '4000000000009995', label: 'Visa, insufficient funds', outcome: failed('INSUFFICIENT_FUNDS') },
  { method: 'card', value: '4000000000000069', label: 'Visa, expired per issuer', outcome: failed('EXPIRED_CARD') },
  { method: 'card', value: '4000000000000119', label: 'Visa, processing error', outcome: failed('PROCESSING_ERROR') },
  {
    method: 'card',
    value: '4000000000005126',
    label: 'Visa, succeeds; every refund of it fails (`refund.failed`)',
    outcome: { status: 'success', refundsFail: true },
  },
];

/** What {@link classifyInstrument} looks at: the method and its instrument. */
export type InstrumentInput = { method: 'upi'; vpa: string } | { method: 'card'; cardNumber: string };

/**
 * The forced outcome of a magic instrument, or `null` for an ordinary one. VPAs match without
 * regard to case; card numbers after removing spaces and dashes.
 */
export function classifyInstrument(input: InstrumentInput): MagicOutcome | null {
  const key = input.method === 'upi' ? input.vpa.toLowerCase() : normalizeCardNumber(input.cardNumber);
  const row = MAGIC_VALUES.find((magic) => magic.method === input.method && magic.value === key);
  return row === undefined ? null : row.outcome;
}

/** {@link MAGIC_VALUES} as a Markdown table (the README's copy is checked against it by a test). */
export function formatMagicValuesTable(): string {
  const lines = ['| method | value | outcome | error code |', '|---|---|---|---|'];
  for (const row of MAGIC_VALUES) {
    const value = row.method === 'card' ? groupCardNumber(row.value) : row.value;
    const code = row.outcome.status === 'failed' ? `\`${row.outcome.errorCode}\`` : '—';
    lines.push(`| ${row.method} | \`${value}\` | ${row.label} | ${code} |`);
  }
  return lines.join('\n');
}

// As printed on the card: 4-6-5 for 15-digit American Express numbers, groups of 4 otherwise.
function groupCardNumber(digits: string): string {
  if (digits.length === 15) return `${digits.slice(0, 4)} ${digits.slice(4, 10)} ${digits.slice(10)}`;
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

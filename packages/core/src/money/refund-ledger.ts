import { PaygateError } from '../errors/paygate-error.js';

/** The message for an over-refund; fixed by DESIGN.md, clients may show it as is. */
export const OVER_REFUND_DESCRIPTION = 'The refund amount is greater than the amount left to refund';

/**
 * How much of a captured amount is still refundable (minor units).
 *
 * @remarks The database enforces the same ceiling under concurrency (conditional update and
 * CHECK); this is the rule it enforces, used for messages and the default full refund.
 * Inputs that break the ledger (negative, fractional, refunded above captured) throw
 * `SERVER_ERROR`: they mean corrupted data, not a bad request.
 */
export function remainingRefundable(capturedAmount: number, refundedAmount: number): number {
  assertLedgerAmount('capturedAmount', capturedAmount);
  assertLedgerAmount('refundedAmount', refundedAmount);
  if (refundedAmount > capturedAmount) {
    throw new PaygateError('SERVER_ERROR', `Refund ledger is inconsistent: refunded ${refundedAmount} exceeds captured ${capturedAmount}`);
  }
  return capturedAmount - refundedAmount;
}

/**
 * Throw `BAD_REQUEST_ERROR` (field `amount`) unless `requestedAmount` is a positive integer no
 * larger than what is left to refund. Many partial refunds may follow one another; their sum
 * never exceeds the captured amount.
 */
export function assertRefundable(input: { capturedAmount: number; refundedAmount: number; requestedAmount: number }): void {
  const remaining = remainingRefundable(input.capturedAmount, input.refundedAmount);
  const requested = input.requestedAmount;
  if (!Number.isSafeInteger(requested) || requested <= 0) {
    throw new PaygateError('BAD_REQUEST_ERROR', `The refund amount must be a positive integer in minor units (e.g. 5000 for ₹50.00); got ${requested}`, {
      field: 'amount',
    });
  }
  if (requested > remaining) {
    throw new PaygateError('BAD_REQUEST_ERROR', OVER_REFUND_DESCRIPTION, { field: 'amount' });
  }
}

function assertLedgerAmount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new PaygateError('SERVER_ERROR', `Refund ledger is inconsistent: ${name} must be a non-negative integer; got ${value}`);
  }
}

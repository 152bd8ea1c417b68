import type { MagicOutcome, PaymentErrorCode } from './magic-values.js';

/** Chance that a UPI payment succeeds outside test mode. */
export const UPI_SUCCESS_RATE = 0.9;
/** Chance that a card payment succeeds outside test mode. */
export const CARD_SUCCESS_RATE = 0.95;
/** Shortest simulated processing time outside test mode (ms). */
export const MIN_PROCESSING_DELAY_MS = 5_000;
/** Longest simulated processing time outside test mode (ms). */
export const MAX_PROCESSING_DELAY_MS = 10_000;

/** The seed's test-mode switches, already parsed from `TEST_MODE`, `TEST_PROCESSING_DELAY`, `TEST_PAYMENT_SUCCESS`. */
export type ProcessorSettings = {
  testMode: boolean;
  testProcessingDelayMs: number;
  /** `false` makes every non-magic payment fail in test mode; anything else lets them succeed. */
  testPaymentSuccess: boolean | undefined;
};

/** The simulated processor's verdict: the final status, how long to "process", and why it failed. */
export type PaymentDecision =
  | { status: 'success'; delayMs: number; errorCode?: undefined; errorDescription?: undefined; /** Every refund of it fails. */ refundsFail?: boolean }
  | { status: 'failed'; delayMs: number; errorCode: PaymentErrorCode; errorDescription: string; refundsFail?: undefined };

/**
 * Decide a payment's outcome and processing delay.
 *
 * - A magic instrument (see `MAGIC_VALUES`) decides the outcome, in every mode.
 * - Test mode: the delay is `testProcessingDelayMs`; payments succeed unless
 *   `testPaymentSuccess === false` (then `PAYMENT_FAILED`).
 * - Otherwise UPI succeeds with p = 0.90 and card with p = 0.95, after a delay uniform in
 *   5000–10000 ms. `random` (values in [0, 1)) is drawn once for the outcome, then once for the
 *   delay, so tests can script both.
 */
export function decidePayment(
  payment: { method: 'upi' | 'card'; magic: MagicOutcome | null | undefined },
  settings: ProcessorSettings,
  random: () => number,
): PaymentDecision {
  const { method, magic } = payment;
  const pickDelay = (): number =>
    settings.testMode
      ? settings.testProcessingDelayMs
      : MIN_PROCESSING_DELAY_MS + Math.floor(random() * (MAX_PROCESSING_DELAY_MS - MIN_PROCESSING_DELAY_MS + 1));

  if (magic !== null && magic !== undefined) {
    const delayMs = pickDelay();
    return magic.status === 'success'
      ? { status: 'success', delayMs, ...(magic.refundsFail ? { refundsFail: true } : {}) }
      : { status: 'failed', delayMs, errorCode: magic.errorCode, errorDescription: magic.errorDescription };
  }

  if (settings.testMode) {
    return settings.testPaymentSuccess === false
      ? {
          status: 'failed',
          delayMs: settings.testProcessingDelayMs,
          errorCode: 'PAYMENT_FAILED',
          errorDescription:
            'The payment failed because test mode is set to fail payments (TEST_PAYMENT_SUCCESS=false); magic values such as success@paygate still succeed.',
        }
      : { status: 'success', delayMs: settings.testProcessingDelayMs };
  }

  const succeeds = random() < (method === 'upi' ? UPI_SUCCESS_RATE : CARD_SUCCESS_RATE);
  const delayMs = pickDelay();
  if (succeeds) return { status: 'success', delayMs };
  return {
    status: 'failed',
    delayMs,
    errorCode: 'PAYMENT_FAILED',
    errorDescription: `The simulated processor failed this payment at random (about ${method === 'upi' ? '10' : '5'} % of ${method === 'upi' ? 'UPI' : 'card'} payments fail outside test mode); use a magic value such as ${method === 'upi' ? 'success@paygate' : '4111 1111 1111 1111'} for a fixed outcome.`,
  };
}

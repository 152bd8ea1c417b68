import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyInstrument } from './magic-values.js';
import {
  CARD_SUCCESS_RATE,
  MAX_PROCESSING_DELAY_MS,
  MIN_PROCESSING_DELAY_MS,
  type ProcessorSettings,
  UPI_SUCCESS_RATE,
  decidePayment,
} from './simulated-processor.js';

const TEST: ProcessorSettings = { testMode: true, testProcessingDelayMs: 1000, testPaymentSuccess: undefined };
const LIVE: ProcessorSettings = { testMode: false, testProcessingDelayMs: 1000, testPaymentSuccess: undefined };

/** A random source that returns `values` in order and fails if asked for more. */
function scripted(...values: number[]): () => number {
  return () => {
    const next = values.shift();
    if (next === undefined) throw new Error('random source exhausted');
    return next;
  };
}
const noRandom = scripted();

describe('decidePayment: magic values win over everything', () => {
  const declined = classifyInstrument({ method: 'card', cardNumber: '4000000000000002' });
  const success = classifyInstrument({ method: 'upi', vpa: 'success@paygate' });

  it('a declined card fails even when test mode says succeed', () => {
    expect(decidePayment({ method: 'card', magic: declined }, { ...TEST, testPaymentSuccess: true }, noRandom)).toEqual({
      status: 'failed',
      delayMs: 1000,
      errorCode: 'CARD_DECLINED',
      errorDescription: 'The card was declined by the issuing bank.',
    });
  });

  it('success@paygate succeeds even when test mode says fail', () => {
    expect(decidePayment({ method: 'upi', magic: success }, { ...TEST, testPaymentSuccess: false }, noRandom)).toEqual({
      status: 'success',
      delayMs: 1000,
    });
  });

  it('4000 0000 0000 5126 succeeds, and its decision says every refund of it fails', () => {
    const refundsFail = classifyInstrument({ method: 'card', cardNumber: '4000 0000 0000 5126' });
    expect(decidePayment({ method: 'card', magic: refundsFail }, { ...TEST, testPaymentSuccess: false }, noRandom)).toEqual({
      status: 'success',
      delayMs: 1000,
      refundsFail: true,
    });
  });

  it('outside test mode the outcome is still fixed; only the delay is random', () => {
    expect(decidePayment({ method: 'card', magic: declined }, LIVE, scripted(0))).toMatchObject({
      status: 'failed',
      errorCode: 'CARD_DECLINED',
      delayMs: MIN_PROCESSING_DELAY_MS,
    });
    expect(decidePayment({ method: 'upi', magic: success }, LIVE, scripted(0.999_999))).toEqual({
      status: 'success',
      delayMs: MAX_PROCESSING_DELAY_MS,
    });
  });
});

describe('decidePayment: test mode', () => {
  it('succeeds after TEST_PROCESSING_DELAY unless TEST_PAYMENT_SUCCESS=false', () => {
    for (const testPaymentSuccess of [true, undefined]) {
      expect(decidePayment({ method: 'upi', magic: null }, { ...TEST, testPaymentSuccess }, noRandom)).toEqual({
        status: 'success',
        delayMs: 1000,
      });
    }
    expect(decidePayment({ method: 'card', magic: undefined }, { ...TEST, testProcessingDelayMs: 0 }, noRandom)).toEqual({
      status: 'success',
      delayMs: 0,
    });
  });

  it('fails with PAYMENT_FAILED when TEST_PAYMENT_SUCCESS=false, saying why', () => {
    const decision = decidePayment({ method: 'card', magic: null }, { ...TEST, testPaymentSuccess: false }, noRandom);
    expect(decision).toEqual({
      status: 'failed',
      delayMs: 1000,
      errorCode: 'PAYMENT_FAILED',
      errorDescription:
        'The payment failed because test mode is set to fail payments (TEST_PAYMENT_SUCCESS=false); magic values such as success@paygate still succeed.',
    });
  });
});

describe('decidePayment: outside test mode', () => {
  it('UPI succeeds below 0.90, card below 0.95', () => {
    expect(UPI_SUCCESS_RATE).toBe(0.9);
    expect(CARD_SUCCESS_RATE).toBe(0.95);
    expect(decidePayment({ method: 'upi', magic: null }, LIVE, scripted(0.899, 0.5)).status).toBe('success');
    expect(decidePayment({ method: 'upi', magic: null }, LIVE, scripted(0.9, 0.5))).toEqual({
      status: 'failed',
      delayMs: 7500,
      errorCode: 'PAYMENT_FAILED',
      errorDescription:
        'The simulated processor failed this payment at random (about 10 % of UPI payments fail outside test mode); use a magic value such as success@paygate for a fixed outcome.',
    });
    expect(decidePayment({ method: 'card', magic: null }, LIVE, scripted(0.949, 0.5)).status).toBe('success');
    expect(decidePayment({ method: 'card', magic: null }, LIVE, scripted(0.95, 0)).errorDescription).toBe(
      'The simulated processor failed this payment at random (about 5 % of card payments fail outside test mode); use a magic value such as 4111 1111 1111 1111 for a fixed outcome.',
    );
  });

  it('the delay is a whole number of ms from 5000 to 10000 (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('upi' as const, 'card' as const),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (method, r1, r2) => {
          const d = decidePayment({ method, magic: null }, LIVE, scripted(r1, r2));
          expect(Number.isInteger(d.delayMs)).toBe(true);
          expect(d.delayMs).toBeGreaterThanOrEqual(5000);
          expect(d.delayMs).toBeLessThanOrEqual(10000);
          expect(d.status).toBe(r1 < (method === 'upi' ? 0.9 : 0.95) ? 'success' : 'failed');
        },
      ),
    );
  });

  it('success rates are about 90 % and 95 % with Math.random', () => {
    const rate = (method: 'upi' | 'card') => {
      let ok = 0;
      for (let i = 0; i < 20_000; i++) if (decidePayment({ method, magic: null }, LIVE, Math.random).status === 'success') ok++;
      return ok / 20_000;
    };
    // 20 000 draws: the standard error is ≈ 0.2 %, so ±1.5 % is > 7 standard errors.
    expect(rate('upi')).toBeGreaterThan(0.885);
    expect(rate('upi')).toBeLessThan(0.915);
    expect(rate('card')).toBeGreaterThan(0.935);
    expect(rate('card')).toBeLessThan(0.965);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaygateError } from '../errors/paygate-error.js';
import { MAX_AMOUNT } from './money.js';
import { OVER_REFUND_DESCRIPTION, assertRefundable, remainingRefundable } from './refund-ledger.js';

function caught(fn: () => unknown): PaygateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PaygateError) return err;
    throw err;
  }
  throw new Error('expected a PaygateError');
}

describe('remainingRefundable', () => {
  it('is captured minus refunded', () => {
    expect(remainingRefundable(50000, 0)).toBe(50000);
    expect(remainingRefundable(50000, 12345)).toBe(37655);
    expect(remainingRefundable(50000, 50000)).toBe(0);
  });

  it('treats a broken ledger as a server error', () => {
    expect(caught(() => remainingRefundable(100, 101))).toMatchObject({
      code: 'SERVER_ERROR',
      description: 'Refund ledger is inconsistent: refunded 101 exceeds captured 100',
    });
    expect(caught(() => remainingRefundable(-1, 0)).code).toBe('SERVER_ERROR');
    expect(caught(() => remainingRefundable(100, 0.5)).description).toBe(
      'Refund ledger is inconsistent: refundedAmount must be a non-negative integer; got 0.5',
    );
  });
});

describe('assertRefundable', () => {
  it('allows up to exactly the remaining amount', () => {
    expect(() => assertRefundable({ capturedAmount: 50000, refundedAmount: 20000, requestedAmount: 30000 })).not.toThrow();
    expect(assertRefundable({ capturedAmount: 50000, refundedAmount: 0, requestedAmount: 1 })).toBeUndefined();
  });

  it('refuses an over-refund with the exact DESIGN.md message on field amount', () => {
    const err = caught(() => assertRefundable({ capturedAmount: 50000, refundedAmount: 20000, requestedAmount: 30001 }));
    expect(err.code).toBe('BAD_REQUEST_ERROR');
    expect(err.field).toBe('amount');
    expect(err.description).toBe('The refund amount is greater than the amount left to refund');
    expect(OVER_REFUND_DESCRIPTION).toBe(err.description);
  });

  it('refuses zero, negative and fractional amounts', () => {
    for (const requestedAmount of [0, -100, 1.5, Number.NaN]) {
      const err = caught(() => assertRefundable({ capturedAmount: 50000, refundedAmount: 0, requestedAmount }));
      expect(err.code).toBe('BAD_REQUEST_ERROR');
      expect(err.field).toBe('amount');
      expect(err.description).toBe(`The refund amount must be a positive integer in minor units (e.g. 5000 for ₹50.00); got ${requestedAmount}`);
    }
  });

  it('random refund sequences never push the refunded total above the captured amount (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_AMOUNT }),
        fc.array(fc.oneof(fc.integer({ min: -10, max: MAX_AMOUNT }), fc.integer({ min: 1, max: 1000 }), fc.double()), {
          maxLength: 40,
        }),
        (captured, requests) => {
          let refunded = 0;
          for (const requestedAmount of requests) {
            const remaining = remainingRefundable(captured, refunded);
            const legal = Number.isSafeInteger(requestedAmount) && requestedAmount >= 1 && requestedAmount <= remaining;
            let accepted = true;
            try {
              assertRefundable({ capturedAmount: captured, refundedAmount: refunded, requestedAmount });
            } catch (err) {
              accepted = false;
              expect((err as PaygateError).code).toBe('BAD_REQUEST_ERROR');
            }
            // It accepts exactly the legal requests…
            expect(accepted).toBe(legal);
            if (accepted) refunded += requestedAmount;
            // …so the ledger invariant always holds.
            expect(refunded).toBeLessThanOrEqual(captured);
            expect(remainingRefundable(captured, refunded)).toBe(captured - refunded);
          }
        },
      ),
    );
  });

  it('a full refund of the remainder always succeeds and leaves nothing (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_AMOUNT }).chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 0, max: c - 1 }))),
        ([captured, refunded]) => {
          const rest = remainingRefundable(captured, refunded);
          assertRefundable({ capturedAmount: captured, refundedAmount: refunded, requestedAmount: rest });
          expect(remainingRefundable(captured, refunded + rest)).toBe(0);
        },
      ),
    );
  });
});

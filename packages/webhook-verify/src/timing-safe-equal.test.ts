import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timingSafeEqual } from './timing-safe-equal.js';

describe('timingSafeEqual', () => {
  it('is true for equal bytes and false for a difference in any position or length', () => {
    const a = Uint8Array.from([1, 2, 3, 4]);
    expect(timingSafeEqual(a, Uint8Array.from([1, 2, 3, 4]))).toBe(true);
    expect(timingSafeEqual(a, Uint8Array.from([0, 2, 3, 4]))).toBe(false);
    expect(timingSafeEqual(a, Uint8Array.from([1, 2, 3, 5]))).toBe(false);
    expect(timingSafeEqual(a, Uint8Array.from([1, 2, 3]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('agrees with Buffer.equals on any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), fc.boolean(), (a, b, same) => {
        const other = same ? Uint8Array.from(a) : b;
        expect(timingSafeEqual(a, other)).toBe(Buffer.from(a).equals(Buffer.from(other)));
      }),
    );
  });
});

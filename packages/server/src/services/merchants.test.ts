import { hashApiSecret } from '@paygate/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { secretDigest } from './merchants.js';

describe('secretDigest (what every authenticated request compares)', () => {
  it("is core's hashApiSecret as bytes, for any secret (what merchants were stored with)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 80 }), async (secret) => {
        expect(secretDigest(secret).toString('hex')).toBe(await hashApiSecret(secret));
      }),
    );
  });
});

import { hashApiSecret } from '@paygate/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MerchantRow } from '../model/rows.js';
import { createMerchantAuthenticator, secretDigest } from './merchants.js';

describe('secretDigest (what every authenticated request compares)', () => {
  it("is core's hashApiSecret as bytes, for any secret (what merchants were stored with)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 80 }), async (secret) => {
        expect(secretDigest(secret).toString('hex')).toBe(await hashApiSecret(secret));
      }),
    );
  });
});

describe('createMerchantAuthenticator', () => {
  const secret = 'secret_live_0123456789';
  const row = { id: 'merch_A', api_key: 'key_live_A', api_secret_hash: secretDigest(secret).toString('hex') } as MerchantRow;
  const deps = { db: undefined, config: { seedTestMerchant: false } } as unknown as Parameters<typeof createMerchantAuthenticator>[0];

  it('a burst of requests reads the merchant once, and a merchant in use is read again before its entry expires', async () => {
    // Given an authenticator whose reads are counted and answered by hand
    let t = 0;
    const reads: Array<(r: MerchantRow | undefined) => void> = [];
    const auth = createMerchantAuthenticator(deps, { ttlMs: 5_000, now: () => t, find: () => new Promise((resolve) => reads.push(resolve)) });

    // When 16 requests arrive at once
    const burst = Array.from({ length: 16 }, () => auth.authenticate(row.api_key, secret));
    // Then one read serves them all
    expect(reads).toHaveLength(1);
    reads[0]!(row);
    expect((await Promise.all(burst)).map((m) => m.id)).toEqual(Array(16).fill('merch_A'));

    // When a request comes in the entry's last second: it is answered from the cache, and the merchant is read again meanwhile
    t = 4_500;
    expect((await auth.authenticate(row.api_key, secret)).id).toBe('merch_A');
    expect(reads).toHaveLength(2);
    reads[1]!(row);
    await new Promise((r) => setImmediate(r));

    // Then after the first entry's expiry, requests still need no read, and a wrong secret is still refused
    t = 6_000;
    expect((await auth.authenticate(row.api_key, secret)).id).toBe('merch_A');
    await expect(auth.authenticate(row.api_key, 'wrong')).rejects.toMatchObject({ code: 'AUTHENTICATION_ERROR' });
    expect(reads).toHaveLength(2);
  });

  it('a reset empties the cache: the next request reads the merchant, and a deleted one is refused', async () => {
    let epoch = 0;
    let stored: MerchantRow | undefined = row;
    let readsDone = 0;
    const auth = createMerchantAuthenticator(deps, { resetEpoch: () => epoch, find: async () => (readsDone++, stored) });
    expect((await auth.authenticate(row.api_key, secret)).id).toBe('merch_A');

    stored = undefined;
    epoch = 1;
    await expect(auth.authenticate(row.api_key, secret)).rejects.toMatchObject({ code: 'AUTHENTICATION_ERROR' });
    expect(readsDone).toBe(2);
  });
});

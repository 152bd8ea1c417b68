import { describe, expect, it } from 'vitest';
import { webCryptoHmacSha256 } from '@paygate/core';
import { nodeHmacSha256 } from './node-hmac.js';

describe('nodeHmacSha256', () => {
  it("computes what core's portable WebCrypto default computes (UTF-8 message, raw key bytes)", async () => {
    const key = new TextEncoder().encode('paygate-fixture-secret-0001-0123');
    for (const message of ['', 'evt_AAAAAAAAAAAAAAAA.1705314665.{"amount":50000}', 'refund ₹ 12,345 — ünïcödé 🙂']) {
      expect(Buffer.from(nodeHmacSha256(key, message) as Uint8Array).toString('hex')).toBe(
        Buffer.from(await webCryptoHmacSha256(key, message)).toString('hex'),
      );
    }
  });
});

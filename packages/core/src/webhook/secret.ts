import { toBase64, toHex, utf8 } from '../internal/encoding.js';
import { cryptoRandomBytes, randomBase62, type RandomBytes } from '../internal/random.js';
import { WEBHOOK_SECRET_PREFIX } from './sign.js';

/** Number of random bytes in a new webhook secret (256-bit HMAC key). */
export const WEBHOOK_SECRET_BYTES = 32;

/**
 * A new webhook secret: `whsec_` + base64 of 32 random bytes, the format the official Standard
 * Webhooks libraries verify.
 */
export function generateWebhookSecret(randomBytes: RandomBytes = cryptoRandomBytes): string {
  return `${WEBHOOK_SECRET_PREFIX}${toBase64(randomBytes(WEBHOOK_SECRET_BYTES).slice(0, WEBHOOK_SECRET_BYTES))}`;
}

/** A new API secret: `secret_` + 32 base62 characters (≈ 190 bits). Show it once; store its hash. */
export function generateApiSecret(randomBytes: RandomBytes = cryptoRandomBytes): string {
  return `secret_${randomBase62(32, randomBytes)}`;
}

/** A new API key (public identifier): `key_test_` or `key_live_` + 16 base62 characters. */
export function generateApiKey(mode: 'test' | 'live', randomBytes: RandomBytes = cryptoRandomBytes): string {
  return `key_${mode}_${randomBase62(16, randomBytes)}`;
}

/**
 * The hex SHA-256 of an API secret, the only form of it to store. A plain hash is enough here
 * (no salt or slow KDF): generated secrets carry ≈ 190 random bits, so nothing can be guessed.
 * Compare stored and computed hashes in constant time.
 */
export async function hashApiSecret(secret: string): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', utf8(secret))));
}

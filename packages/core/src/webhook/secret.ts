import { toBase64, toHex, utf8 } from '../internal/encoding.js';
import { cryptoRandomBytes, randomBase62, type RandomBytes } from '../internal/random.js';
import { WEBHOOK_SECRET_PREFIX, type HmacSha256 } from './sign.js';

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
 * A SHA-256 implementation: the WebCrypto default runs everywhere; a server may pass a faster
 * synchronous one (node:crypto `createHash`), as it does for {@link HmacSha256}: it hashes the
 * API secret of every authenticated request.
 */
export type Sha256 = (data: Uint8Array<ArrayBuffer>) => Promise<Uint8Array> | Uint8Array;

/** The portable default {@link Sha256}: WebCrypto, in Node, browsers and edge runtimes. */
export const webCryptoSha256: Sha256 = async (data) => new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data));

/**
 * The hex SHA-256 of an API secret's UTF-8 bytes, the only form of it to store. A plain hash is
 * enough here (no salt or slow KDF): generated secrets carry ≈ 190 random bits, so nothing can
 * be guessed. Compare stored and computed hashes in constant time.
 */
export async function hashApiSecret(secret: string, sha256: Sha256 = webCryptoSha256): Promise<string> {
  return toHex(await sha256(utf8(secret)));
}

import { PaygateError } from '../errors/paygate-error.js';

/** A source of random bytes; the default is the platform CSPRNG (`crypto.getRandomValues`). */
export type RandomBytes = (n: number) => Uint8Array;

/** The 62 characters used in ids and API credentials: digits, upper case, lower case. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// 256 is not a multiple of 62: taking `byte % 62` for every byte would make the first 8
// characters (256 - 4 * 62 = 8) appear 5/4 as often as the rest. Bytes at or above 248 are
// thrown away instead (rejection sampling), so every character is equally likely.
const BASE62_ACCEPT_BELOW = 62 * 4;

// With a real CSPRNG a round rejects only 8/256 of its bytes, so hitting this limit means the
// injected source is broken (for example a stub that always returns 0xff).
const MAX_ROUNDS = 1000;

// Every id costs one call into the CSPRNG, and in Node each `getRandomValues` call costs far more
// than the bytes it returns (WebIDL checks, a trip into C++): a payment makes about ten ids. So
// bytes are drawn 4 KiB at a time and handed out once each, in order; none is ever reused.
const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let poolOffset = 0;

/** `n` bytes from WebCrypto's CSPRNG; works in Node ≥ 20, browsers, Deno, workers. */
export function cryptoRandomBytes(n: number): Uint8Array {
  if (n > POOL_SIZE / 4) {
    const out = new Uint8Array(n);
    globalThis.crypto.getRandomValues(out);
    return out;
  }
  if (poolOffset + n > pool.length) {
    pool = new Uint8Array(POOL_SIZE);
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  // A copy, not a view: a caller that keeps or changes its bytes must not see or touch the pool.
  const out = pool.slice(poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

/** `length` base62 characters, uniformly distributed (rejection sampling, no modulo bias). */
export function randomBase62(length: number, randomBytes: RandomBytes = cryptoRandomBytes): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    if (round >= MAX_ROUNDS) {
      throw new PaygateError('SERVER_ERROR', 'The random source returned no usable bytes; it must return uniformly random bytes.');
    }
    // Ask for a little more than needed so one round is almost always enough.
    const missing = length - out.length;
    const bytes = randomBytes(missing + 8);
    for (const byte of bytes) {
      if (byte < BASE62_ACCEPT_BELOW) {
        out += BASE62_ALPHABET[byte % 62];
        if (out.length === length) break;
      }
    }
  }
  return out;
}

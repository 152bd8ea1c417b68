import { WebhookVerificationError } from '../errors.js';

/** HMAC-SHA256 through WebCrypto, the one crypto API that Node, Deno, Bun, browsers and edge workers share. */
export async function hmacSha256(key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  // Read through globalThis so a runtime without WebCrypto (an http:// page, Node < 19 without
  // --experimental-global-webcrypto) gets a reason code instead of a TypeError.
  const subtle = (globalThis as { crypto?: Partial<typeof globalThis.crypto> }).crypto?.subtle;
  if (subtle === undefined) throw new WebhookVerificationError('crypto_unavailable');
  const cryptoKey = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', cryptoKey, data));
}

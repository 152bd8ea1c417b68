import { createHmac } from 'node:crypto';

/**
 * Synchronous HMAC-SHA256 from node:crypto: the server's signer, of the shape core's `HmacSha256`
 * takes (the compiler checks it where it is handed to core). A pure function, so it lives in lib/
 * rather than behind a port: nothing about it is swapped in tests or per deployment.
 */
export const nodeHmacSha256 = (key: Uint8Array, message: string): Uint8Array => createHmac('sha256', key).update(message).digest();

import { createHmac } from 'node:crypto';
import type { HmacSha256 } from '@paygate/core';

/**
 * Synchronous HMAC-SHA256 from node:crypto: the server's signer (see core's HmacSha256). A pure function,
 * so it lives in lib/ rather than behind a port: nothing about it is swapped in tests or per deployment.
 */
export const nodeHmacSha256: HmacSha256 = (key, message) => createHmac('sha256', key).update(message).digest();

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** The size checkout.js should stay under, gzipped. */
export const CHECKOUT_GZIP_TARGET_BYTES = 25 * 1024;
/** Past this the size test fails: something heavy was bundled by mistake. */
export const CHECKOUT_GZIP_LIMIT_BYTES = 40 * 1024;

/** Raw and gzip (level 9, as servers and CDNs send it) size of a built file. */
export function checkoutBundleSize(path) {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/**
 * Compares two byte arrays in time that depends only on their length, not on where they differ.
 *
 * @remarks An early-exit comparison leaks, through response time, how many leading bytes of a
 * forged signature are right, letting an attacker find a valid one byte by byte. Lengths are
 * public (every v1 signature is 32 bytes), so a length mismatch returns at once. JavaScript
 * gives no hard constant-time guarantee; accumulating XOR over every byte without branching
 * is the established approach (the Standard Webhooks reference library does the same).
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

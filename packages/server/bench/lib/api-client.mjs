// The load generator's API client: JSON in and out over the bench's own HTTP/1.1 pool
// (http1-pool.mjs), which shares the two cores with what it measures and so must cost little.
import { Http1Pool } from './http1-pool.mjs';

export const TEST_MERCHANT_HEADERS = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789', 'content-type': 'application/json' };
const HEADER_TEXT = Object.entries(TEST_MERCHANT_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');

/**
 * A client for one API process or several (`baseUrls`, as a load balancer would see them): one
 * pool of up to `connections` per process, requests spread round-robin so that each process gets
 * the same share whatever the callers do. The API is stateless, so any process may answer any
 * request (a payment may be created on one and read on another).
 */
export function apiClient(baseUrls, connections) {
  const pools = [baseUrls].flat().map((url) => new Http1Pool(url, connections));
  let next = 0;
  /** `headers`: more header lines for this request alone (an Idempotency-Key, say). */
  const call = async (method, path, body, headers) => {
    const pool = pools[next++ % pools.length];
    const more = headers ? Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`) : [];
    const res = await pool.request(method, path, HEADER_TEXT + more.join(''), body === undefined ? undefined : JSON.stringify(body));
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
    return JSON.parse(res.body);
  };
  return { call, post: (path, body, headers) => call('POST', path, body, headers), close: async () => pools.forEach((p) => p.close()) };
}

/**
 * Closed loop for durationMs: `connections` loops, each sends the next request as soon as the
 * previous one answers. Returns requests completed and the seconds they took.
 */
export async function closedLoop(connections, durationMs, send) {
  let done = 0;
  let errors = 0;
  let firstError;
  const t0 = performance.now();
  const end = t0 + durationMs;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        try {
          await send();
          done += 1;
        } catch (error) {
          errors += 1;
          firstError ??= error;
        }
      }
    }),
  );
  return { done, errors, firstError: firstError?.message, seconds: (performance.now() - t0) / 1000 };
}

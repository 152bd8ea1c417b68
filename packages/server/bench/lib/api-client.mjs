// The load generator's HTTP client: undici's request API on a keep-alive pool. It shares the two
// cores with what it measures, and costs a third of what fetch does per request.
import { Pool } from 'undici';

export const TEST_MERCHANT_HEADERS = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789', 'content-type': 'application/json' };

/**
 * A client for one API process or several (`baseUrls`, as a load balancer would see them): one
 * pool of up to `connections` per process, requests spread round-robin so that each process gets
 * the same share whatever the callers do. The API is stateless, so any process may answer any
 * request (a payment may be created on one and read on another).
 */
export function apiClient(baseUrls, connections) {
  const pools = [baseUrls].flat().map((url) => new Pool(url, { connections, pipelining: 1 }));
  let next = 0;
  const call = async (method, path, body) => {
    const pool = pools[next++ % pools.length];
    const res = await pool.request({ method, path, headers: TEST_MERCHANT_HEADERS, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${await res.body.text()}`);
    return res.body.json();
  };
  return { call, post: (path, body) => call('POST', path, body), close: () => Promise.all(pools.map((p) => p.close())) };
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

// The load generator's HTTP client: undici's request API on a keep-alive pool. It shares the two
// cores with what it measures, and costs a third of what fetch does per request.
import { Pool } from 'undici';

export const TEST_MERCHANT_HEADERS = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789', 'content-type': 'application/json' };

export function apiClient(baseUrl, connections) {
  const pool = new Pool(baseUrl, { connections, pipelining: 1 });
  const call = async (method, path, body) => {
    const res = await pool.request({ method, path, headers: TEST_MERCHANT_HEADERS, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${await res.body.text()}`);
    return res.body.json();
  };
  return { call, post: (path, body) => call('POST', path, body), close: () => pool.close() };
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

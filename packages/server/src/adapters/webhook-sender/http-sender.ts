import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { createHttp1Pool, hostOf } from './http1-pool.js';
import { isPrivateAddress } from './private-addresses.js';
import { toStorableText } from '../../lib/storable-text.js';
import type { HttpSender } from '../../ports/http-sender.js';
import { PRIVATE_TARGET_REASON } from '../../ports/webhook-targets.js';

const RESPONSE_BODY_LIMIT = 1024;
/** An idle connection to a receiver is kept this long (or less, when the receiver says so). */
const IDLE_CONNECTION_MS = 10_000;

// Stored as the attempt's error, which the merchant reads: it must never name the internal
// address a host resolved to (that would map the operator's network for whoever sets a URL).
class PrivateTargetError extends Error {
  constructor() {
    super(`refused: ${PRIVATE_TARGET_REASON}`);
  }
}

/**
 * Delivers webhooks over HTTP/1.1 (http1-pool.ts): no redirects followed (only 2xx counts), a
 * hard timeout, at most 1 KiB of the response kept. With `allowPrivateTargets` false the resolved
 * address is checked at connect time, so a DNS name that rebinds to 127.0.0.1 after the URL was
 * saved is still refused.
 */
export function createHttpSender(options: { allowPrivateTargets: boolean; lookup?: typeof dnsLookup }): HttpSender {
  const lookup = options.lookup ?? dnsLookup; // injectable: tests resolve names to chosen addresses
  const guardedLookup = ((hostname: string, opts: object, callback: (...args: unknown[]) => void) => {
    lookup(hostname, { ...opts, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      if (addresses.some((a) => isPrivateAddress(a.address))) return callback(new PrivateTargetError());
      const first = addresses[0]!;
      if ((opts as { all?: boolean }).all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;
  const pool = createHttp1Pool({
    idleMs: IDLE_CONNECTION_MS,
    // Bytes enough for RESPONSE_BODY_LIMIT characters of any UTF-8.
    bodyLimit: RESPONSE_BODY_LIMIT * 4,
    ...(options.allowPrivateTargets ? {} : { lookup: guardedLookup }),
  });

  return {
    async send({ url, headers, body, timeoutMs }) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      try {
        const target = new URL(url);
        const host = hostOf(target);
        // A literal IP never goes through lookup, so check it here.
        if (!options.allowPrivateTargets && isIP(host) && isPrivateAddress(host)) throw new PrivateTargetError();
        const res = await pool.post(target, { 'content-type': 'application/json', 'user-agent': 'Paygate-Webhooks/0.1', ...headers }, body, timeoutMs);
        // Invalid UTF-8 (or a character cut at the byte limit) becomes U+FFFD; what else is unsafe
        // to store is toStorableText's business.
        const retryAfter = res.headers['retry-after'];
        return {
          statusCode: res.statusCode,
          latencyMs: elapsed(),
          responseBody: toStorableText(res.body.toString('utf8'), RESPONSE_BODY_LIMIT),
          ...(retryAfter !== undefined ? { retryAfter } : {}),
        };
      } catch (error) {
        return { latencyMs: elapsed(), error: (error as Error).message };
      }
    },
    // Called after the workers' grace period: a delivery still waiting on a slow receiver is cut
    // off (its attempt is logged as an error and retried on schedule) instead of holding the exit.
    close: async () => pool.close(),
  };
}

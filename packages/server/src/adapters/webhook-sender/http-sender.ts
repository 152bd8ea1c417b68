import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { Agent, request as undiciRequest } from 'undici';
import { isPrivateAddress } from './private-addresses.js';
import { toStorableText } from '../../lib/storable-text.js';
import type { HttpSender } from '../../ports/http-sender.js';
import { PRIVATE_TARGET_REASON } from '../../ports/webhook-targets.js';

const RESPONSE_BODY_LIMIT = 1024;

// Stored as the attempt's error, which the merchant reads: it must never name the internal
// address a host resolved to (that would map the operator's network for whoever sets a URL).
class PrivateTargetError extends Error {
  constructor() {
    super(`refused: ${PRIVATE_TARGET_REASON}`);
  }
}

/**
 * Delivers webhooks with undici: no redirects followed (only 2xx counts), a hard timeout, at most
 * 1 KiB of the response kept. With `allowPrivateTargets` false the resolved address is checked at
 * connect time, so a DNS name that rebinds to 127.0.0.1 after the URL was saved is still refused.
 */
export function createHttpSender(options: { allowPrivateTargets: boolean; connections?: number; lookup?: typeof dnsLookup }): HttpSender {
  const lookup = options.lookup ?? dnsLookup; // injectable: tests resolve names to chosen addresses
  const guardedLookup: typeof dnsLookup = ((hostname: string, opts: object, callback: (...args: unknown[]) => void) => {
    lookup(hostname, { ...opts, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      if (addresses.some((a) => isPrivateAddress(a.address))) return callback(new PrivateTargetError());
      const first = addresses[0]!;
      if ((opts as { all?: boolean }).all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  }) as typeof dnsLookup;

  // undici is loaded at the first delivery, not at start: it is 110 files, a seventh of what a
  // gateway process loaded before it could serve (`pg-cli dev`'s start, mostly module loading).
  let client: Promise<{ agent: Agent; request: typeof undiciRequest }> | undefined;
  const undici = () =>
    (client ??= import('undici').then(({ Agent, request }) => ({
      request,
      agent: new Agent({
        connections: options.connections ?? 256,
        keepAliveTimeout: 10_000,
        connect: options.allowPrivateTargets ? {} : { lookup: guardedLookup },
      }),
    })));

  return {
    async send({ url, headers, body, timeoutMs }) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      try {
        const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
        // A literal IP never goes through lookup, so check it here.
        if (!options.allowPrivateTargets && isIP(host) && isPrivateAddress(host)) throw new PrivateTargetError();
        const { agent, request } = await undici();
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Paygate-Webhooks/0.1', ...headers },
          body,
          dispatcher: agent,
          signal: AbortSignal.timeout(timeoutMs),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        // One decoder across chunks, so a character split between two chunks stays whole;
        // invalid bytes become U+FFFD. (What else is unsafe to store is the caller's business.)
        const decoder = new TextDecoder('utf-8');
        let responseBody = '';
        for await (const chunk of res.body) {
          responseBody += decoder.decode(chunk as Buffer, { stream: true });
          if (responseBody.length >= RESPONSE_BODY_LIMIT) break;
        }
        responseBody += decoder.decode();
        res.body.destroy();
        const retryAfter = res.headers['retry-after'];
        return {
          statusCode: res.statusCode,
          latencyMs: elapsed(),
          responseBody: toStorableText(responseBody, RESPONSE_BODY_LIMIT),
          ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
        };
      } catch (error) {
        const e = error as Error & { cause?: Error; code?: string };
        const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT';
        const message = timedOut ? `timeout after ${timeoutMs} ms` : (e.cause?.message ?? e.message);
        return { latencyMs: elapsed(), error: message };
      }
    },
    // Called after the workers' grace period: a delivery still waiting on a slow receiver is cut
    // off (its attempt is logged as an error and retried on schedule) instead of holding the exit.
    close: async () => {
      if (client) await (await client).agent.destroy();
    },
  };
}

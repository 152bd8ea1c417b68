import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface StandardVector {
  name: string;
  secret: string;
  id: string;
  timestamp: number;
  body: string;
  signature: string;
}

export interface LegacyVector {
  name: string;
  secret: string;
  body: string;
  signature: string;
}

/**
 * Core's shared vectors, read through the devDependency so there is one copy in the repo
 * (STYLE.md §12: "Signature vectors live once in core's fixtures").
 */
export function coreVectors(): { standardWebhooks: StandardVector[]; legacy: LegacyVector[] } {
  const path = createRequire(import.meta.url).resolve('@paygate/core/fixtures/signature-vectors.json');
  return JSON.parse(readFileSync(path, 'utf8')) as { standardWebhooks: StandardVector[]; legacy: LegacyVector[] };
}

/**
 * The published Standard Webhooks test vector (values only), from the reference JavaScript
 * library's tests: github.com/standard-webhooks/standard-webhooks,
 * libraries/javascript/src/webhook.test.ts, test "sign function works" (the same values appear
 * in the spec's other libraries' tests). The body has a space after the colon, which makes it
 * a useful non-compact body too.
 */
export const STANDARD_WEBHOOKS_VECTOR: StandardVector = {
  name: 'Standard Webhooks reference vector',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

/**
 * Same source, test "multi sig payload is valid": a header listing decoys (a v1 signature of
 * something else, and the same value under an unknown "v2") around the valid signature.
 */
export const STANDARD_WEBHOOKS_DECOYS = ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', 'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc='] as const;

/** Same source, tests "invalid signature" and "partial signature": values that must never verify. */
export const STANDARD_WEBHOOKS_BAD_SIGNATURES = ['v1,dawfeoifkpqwoekfpqoekf', 'v1,g0hM9SsE', 'v1,'] as const;

/** Standard headers for a vector. */
export function vectorHeaders(vector: StandardVector): Record<string, string> {
  return {
    'webhook-id': vector.id,
    'webhook-timestamp': String(vector.timestamp),
    'webhook-signature': vector.signature,
  };
}

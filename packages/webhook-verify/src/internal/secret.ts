import { WebhookVerificationError } from '../errors.js';
import { decodeBase64, utf8 } from './encoding.js';

const PREFIX = 'whsec_';

/**
 * The HMAC key for the Standard Webhooks (v1) scheme.
 *
 * The base64 part after `whsec_` is decoded when it is valid base64 (what new Paygate secrets
 * and every Standard Webhooks library use); otherwise the UTF-8 bytes of the whole secret are
 * the key, which is how the seed's `whsec_test_abc123` has always been used. This is the rule
 * of core's shared vectors ($comment of packages/core/fixtures/signature-vectors.json).
 */
export function standardKey(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  return decodeBase64(encoded) ?? utf8(secret);
}

/** The HMAC key for the seed's legacy scheme: always the UTF-8 bytes of the whole secret. */
export function legacyKey(secret: string): Uint8Array<ArrayBuffer> {
  return utf8(secret);
}

/**
 * Checks one secret or a list (rotation) and returns the list; throws `invalid_secret`.
 *
 * @remarks Surrounding whitespace is refused rather than trimmed: Paygate never issues such a
 * secret, and it nearly always means a trailing newline from an env file or `$(cat …)`, which
 * would otherwise surface later as a baffling `no_matching_signature`.
 */
export function normalizeSecrets(input: unknown): string[] {
  const list: unknown[] = Array.isArray(input) ? (input as unknown[]) : [input];
  if (list.length === 0) {
    throw new WebhookVerificationError('invalid_secret', 'The list of secrets is empty: pass at least the current webhook secret.');
  }
  const secrets: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const secret = list[i];
    const which = list.length > 1 ? `Secret #${i + 1}` : 'The secret';
    if (typeof secret !== 'string') {
      throw new WebhookVerificationError(
        'invalid_secret',
        `${which} is ${secret === undefined ? 'undefined' : `a ${secret === null ? 'null' : typeof secret}`}, not a string: is PAYGATE_WEBHOOK_SECRET (or your equivalent) set?`,
      );
    }
    if (secret.length === 0) {
      throw new WebhookVerificationError('invalid_secret', `${which} is an empty string: is the environment variable set?`);
    }
    if (secret.trim() !== secret) {
      throw new WebhookVerificationError('invalid_secret', `${which} has leading or trailing whitespace (often a newline from an env file); remove it.`);
    }
    secrets.push(secret);
  }
  return secrets;
}

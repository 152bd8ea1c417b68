// The verification steps that need no crypto, shared by the WebCrypto entry (verify.ts) and the
// synchronous node:crypto entry (node.ts): each only supplies HMAC-SHA256.
import { WebhookVerificationError } from '../errors.js';
import { getHeaderValues } from '../headers.js';
import { timingSafeEqual } from '../timing-safe-equal.js';
import type { VerifiedWebhookSignature } from '../verify-types.js';
import { diagnoseMismatch } from './diagnose.js';
import { concatBytes, decodeBase64, decodeHex, utf8 } from './encoding.js';
import { readRawBody, type RawBodyBytes } from './raw-body.js';
import { legacyKey, normalizeSecrets, standardKey } from './secret.js';

/** Standard Webhooks' recommended tolerance, and the one its reference libraries use. */
const DEFAULT_TOLERANCE_SECONDS = 300;

/** Header names, lower case (HTTP/2 sends them so, and lookups ignore case anyway). */
const HEADER_ID = 'webhook-id';
const HEADER_TIMESTAMP = 'webhook-timestamp';
const HEADER_SIGNATURE = 'webhook-signature';
const HEADER_LEGACY_SIGNATURE = 'x-webhook-signature';

/** Everything needed to compare signatures once the caller has computed one HMAC per key. */
export interface SignatureCheck {
  scheme: 'v1' | 'legacy';
  id?: string;
  timestamp?: number;
  body: RawBodyBytes;
  secrets: string[];
  /** One HMAC key per secret, in the caller's order. */
  keys: Uint8Array<ArrayBuffer>[];
  /** The signed bytes: `{id}.{timestamp}.{body}` for v1, the body alone for legacy. */
  content: Uint8Array<ArrayBuffer>;
  /** The signatures found in the request, decoded. */
  candidates: Uint8Array[];
  malformed: number;
}

/** The outcome of a successful signature check. */
export type SignatureMatch =
  { scheme: 'v1'; id: string; timestamp: number; secretIndex: number; body: RawBodyBytes } | { scheme: 'legacy'; secretIndex: number; body: RawBodyBytes };

interface Options {
  toleranceSeconds: number;
  nowSeconds: number;
  legacy: boolean;
}

/**
 * Validates every input and reads the headers; throws `WebhookVerificationError` for anything
 * wrong before any HMAC is computed. Configuration problems (options, secrets) are reported
 * before request problems because they would fail every delivery.
 */
export function prepareSignatureCheck(rawBody: unknown, headers: unknown, secretOrSecrets: unknown, options: unknown): SignatureCheck {
  const opts = readOptions(options);
  const secrets = normalizeSecrets(secretOrSecrets);
  const body = readRawBody(rawBody);

  const present = (name: string): string[] => getHeaderValues(headers, name).filter((v) => v.trim() !== '');
  const ids = present(HEADER_ID);
  const timestamps = present(HEADER_TIMESTAMP);
  const signatures = present(HEADER_SIGNATURE);
  const legacySignatures = present(HEADER_LEGACY_SIGNATURE);

  if (ids.length === 0 && timestamps.length === 0 && signatures.length === 0) {
    if (legacySignatures.length > 0 && opts.legacy) return prepareLegacy(body, secrets, legacySignatures);
    throw new WebhookVerificationError('missing_header', missingAllHint(headers, legacySignatures.length > 0));
  }
  const missing = [
    ids.length === 0 ? HEADER_ID : undefined,
    timestamps.length === 0 ? HEADER_TIMESTAMP : undefined,
    signatures.length === 0 ? HEADER_SIGNATURE : undefined,
  ].filter((name) => name !== undefined);
  if (missing.length > 0) {
    throw new WebhookVerificationError(
      'missing_header',
      `Missing ${missing.join(' and ')} while the other Standard Webhooks headers are present: a proxy or framework may be dropping headers, or a test builds them by hand.`,
    );
  }

  const id = single(ids, HEADER_ID);
  const timestampText = single(timestamps, HEADER_TIMESTAMP);
  const timestamp = parseTimestamp(timestampText);
  checkTolerance(timestamp, opts);
  const { candidates, malformed } = parseSignatureHeader(signatures.join(' '));

  return {
    scheme: 'v1',
    id,
    timestamp,
    body,
    secrets,
    keys: secrets.map(standardKey),
    // The header text, not the parsed number, is what the sender signed.
    content: concatBytes([utf8(`${id}.${timestampText}.`), body.bytes]),
    candidates,
    malformed,
  };
}

/** Compares each computed HMAC (one per key, same order) with each candidate signature. */
export function matchSignature(check: SignatureCheck, macs: readonly Uint8Array[]): SignatureMatch {
  for (let secretIndex = 0; secretIndex < macs.length; secretIndex++) {
    const mac = macs[secretIndex] as Uint8Array;
    for (const candidate of check.candidates) {
      if (!timingSafeEqual(mac, candidate)) continue;
      return check.scheme === 'v1'
        ? { scheme: 'v1', id: check.id as string, timestamp: check.timestamp as number, secretIndex, body: check.body }
        : { scheme: 'legacy', secretIndex, body: check.body };
    }
  }
  throw new WebhookVerificationError(
    'no_matching_signature',
    diagnoseMismatch({
      scheme: check.scheme,
      bodyText: check.body.text,
      ...(check.id === undefined ? {} : { headerId: check.id }),
      secrets: check.secrets,
      candidates: check.candidates.length,
      malformed: check.malformed,
    }),
  );
}

/** The public shape of a match: the body as text, no internal byte buffers. */
export function toVerifiedSignature(match: SignatureMatch): VerifiedWebhookSignature {
  return match.scheme === 'v1'
    ? { scheme: 'v1', id: match.id, timestamp: match.timestamp, secretIndex: match.secretIndex, body: match.body.text }
    : { scheme: 'legacy', secretIndex: match.secretIndex, body: match.body.text };
}

function prepareLegacy(body: RawBodyBytes, secrets: string[], values: string[]): SignatureCheck {
  const candidates: Uint8Array[] = [];
  for (const value of values) {
    const decoded = decodeHex(value.trim());
    if (decoded === undefined) {
      throw new WebhookVerificationError(
        'invalid_header',
        `X-Webhook-Signature must be the hex HMAC-SHA256 of the body; got ${JSON.stringify(value.slice(0, 80))}.`,
      );
    }
    candidates.push(decoded);
  }
  return { scheme: 'legacy', body, secrets, keys: secrets.map(legacyKey), content: body.bytes, candidates, malformed: 0 };
}

function readOptions(options: unknown): Options {
  if (options === undefined || options === null) {
    return { toleranceSeconds: DEFAULT_TOLERANCE_SECONDS, nowSeconds: Math.floor(Date.now() / 1000), legacy: false };
  }
  if (typeof options !== 'object') {
    throw new WebhookVerificationError('invalid_options', `Options must be an object; got a ${typeof options}.`);
  }
  const { toleranceSeconds, now, legacy } = options as Record<string, unknown>;
  if (toleranceSeconds !== undefined && !(typeof toleranceSeconds === 'number' && Number.isFinite(toleranceSeconds) && toleranceSeconds >= 0)) {
    throw new WebhookVerificationError('invalid_options', `toleranceSeconds must be a finite number ≥ 0; got ${describe(toleranceSeconds)}.`);
  }
  let nowMs: number;
  if (now === undefined) nowMs = Date.now();
  else if (now instanceof Date) nowMs = now.getTime();
  else if (typeof now === 'number') nowMs = now;
  else throw new WebhookVerificationError('invalid_options', `now must be a Date or epoch milliseconds; got ${describe(now)}.`);
  // ±8.64e15 ms is the range of a JavaScript Date; beyond it there is no "now" to compare with.
  if (!Number.isFinite(nowMs) || Math.abs(nowMs) > 8.64e15) {
    throw new WebhookVerificationError('invalid_options', 'now is an invalid Date or a number outside the Date range.');
  }
  if (legacy !== undefined && typeof legacy !== 'boolean') {
    throw new WebhookVerificationError('invalid_options', `legacy must be a boolean; got ${describe(legacy)}.`);
  }
  return {
    toleranceSeconds: toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
    nowSeconds: Math.floor(nowMs / 1000),
    legacy: legacy ?? false,
  };
}

function missingAllHint(headers: unknown, legacyPresent: boolean): string {
  if (typeof headers !== 'object' || headers === null) {
    return `No headers were passed (got ${describe(headers)}): pass req.headers in Node, request.headers in Fetch-style runtimes.`;
  }
  if (legacyPresent) {
    return 'Only the legacy X-Webhook-Signature header is present. Pass { legacy: true } to accept it, knowing it has no replay protection (it signs the body alone, with no timestamp); better, find what strips the webhook-* headers.';
  }
  return 'None of webhook-id, webhook-timestamp and webhook-signature is present: pass all request headers (req.headers in Node, request.headers in Fetch), and check that a proxy is not stripping them and that this request came from Paygate.';
}

function single(values: string[], name: string): string {
  const first = values[0] as string;
  if (values.some((value) => value !== first)) {
    throw new WebhookVerificationError('invalid_header', `${name} was sent more than once with different values.`);
  }
  return first;
}

function parseTimestamp(text: string): number {
  if (!/^\d{1,11}$/.test(text)) {
    const ms = /^\d{13}$/.test(text) ? ' It looks like milliseconds; the Standard Webhooks timestamp is in seconds.' : '';
    throw new WebhookVerificationError(
      'invalid_header',
      `webhook-timestamp must be unix seconds (digits only); got ${JSON.stringify(text.slice(0, 40))}.${ms}`,
    );
  }
  return Number(text);
}

function checkTolerance(timestamp: number, { toleranceSeconds, nowSeconds }: Options): void {
  const skew = nowSeconds - timestamp;
  if (Math.abs(skew) <= toleranceSeconds) return;
  const when = `webhook-timestamp ${timestamp} (${new Date(timestamp * 1000).toISOString()}) is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} this server's clock (${new Date(nowSeconds * 1000).toISOString()}); the tolerance is ${toleranceSeconds} s.`;
  if (skew > 0) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `The ${when} Either this is a replayed delivery, or this server's clock runs fast: check NTP. Paygate signs every retry with a fresh timestamp, so a genuine retry is never old.`,
    );
  }
  throw new WebhookVerificationError('timestamp_in_future', `The ${when} This server's clock is probably behind: check NTP (or, in a test, the now option).`);
}

/**
 * Splits `webhook-signature` into decoded v1 signatures. Entries are space-separated
 * `version,value` pairs (Standard Webhooks); other versions are skipped so a future scheme
 * can be added beside v1. A trailing comma is dropped because Node and Fetch join repeated
 * headers with ", ".
 */
function parseSignatureHeader(header: string): { candidates: Uint8Array[]; malformed: number } {
  const candidates: Uint8Array[] = [];
  let versioned = 0;
  let malformed = 0;
  for (const token of header.split(/\s+/)) {
    const entry = token.replace(/,+$/, '');
    const comma = entry.indexOf(',');
    if (comma <= 0) continue;
    versioned++;
    if (entry.slice(0, comma) !== 'v1') continue;
    const decoded = decodeBase64(entry.slice(comma + 1));
    if (decoded === undefined) malformed++;
    else candidates.push(decoded);
  }
  if (candidates.length === 0 && malformed === 0) {
    throw new WebhookVerificationError(
      'invalid_header',
      versioned > 0
        ? 'webhook-signature has no v1 entry (only other versions): this version of @paygate/webhook-verify understands v1; update it.'
        : `webhook-signature must be a space-separated list of "v1,<base64>" entries; got ${JSON.stringify(header.slice(0, 80))}.`,
    );
  }
  return { candidates, malformed };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'undefined') return String(value);
  return `a ${typeof value}`;
}

import { RAW_BODY_RECIPES } from './raw-body.js';

// Diagnosing parses the body; beyond this size a failed delivery is not worth the CPU.
const MAX_DIAGNOSED_BODY = 1024 * 1024;

// A UTF-8 lead byte (C2–F4) read as Latin-1/Windows-1252, followed by a continuation byte read
// the same way: "â‚¹" is "₹" decoded with the wrong charset.
const MOJIBAKE =
  /[\u00C2-\u00F4][\u0080-\u00BF\u20AC\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u017D\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u017E\u0178]/;

/** What the verifier knows when no signature matched. */
export interface MismatchFacts {
  scheme: 'v1' | 'legacy';
  bodyText: string;
  /** The `webhook-id` header (v1 only). */
  headerId?: string;
  secrets: readonly string[];
  /** Well-formed signatures compared. */
  candidates: number;
  /** v1 entries ignored because their value was not valid base64. */
  malformed: number;
}

/**
 * The hint for `no_matching_signature`: what can honestly be told from the request.
 *
 * @remarks A body that Paygate sent is compact `JSON.stringify` output, and for such text
 * `JSON.stringify(JSON.parse(text)) === text`. So a body that is compact is not the victim of
 * a parse-and-restringify round trip in JavaScript (that would have kept the signature valid),
 * and a body that is JSON but not compact was reformatted by something (pretty-printing, a
 * trailing newline) or was never sent by Paygate. Both are worth saying; neither is certain,
 * and the wording says so.
 */
export function diagnoseMismatch(facts: MismatchFacts): string {
  const hints: string[] = [...bodyHints(facts), ...secretHints(facts)];
  return hints.join(' ');
}

function bodyHints({ bodyText: text, headerId }: MismatchFacts): string[] {
  if (text.length === 0) {
    return [`The body is empty: a body parser probably consumed the request before you read it. ${RAW_BODY_RECIPES}`];
  }
  if (text === '[object Object]') {
    return [`The body is the text "[object Object]": a parsed object was turned into a string. Pass the raw body. ${RAW_BODY_RECIPES}`];
  }
  if (text.length > MAX_DIAGNOSED_BODY) return [];
  const hints: string[] = [];
  if (MOJIBAKE.test(text)) {
    hints.push(
      'The body contains sequences such as "â‚¹" or "Ã©" that look like UTF-8 decoded as Latin-1: pass the bytes (a Buffer or Uint8Array) or decode them as UTF-8.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    hints.push(`The body is not JSON (it starts with ${JSON.stringify(text.slice(0, 40))}); Paygate always sends JSON, so this is not the body Paygate sent.`);
    return hints;
  }
  const bodyId = typeof parsed === 'object' && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
  if (headerId !== undefined && typeof bodyId === 'string' && bodyId.startsWith('evt_') && bodyId !== headerId) {
    hints.push(`The body's id (${bodyId}) differs from the webhook-id header (${headerId}): the headers and the body come from different deliveries.`);
  }
  let compact: string;
  try {
    compact = JSON.stringify(parsed);
  } catch {
    // Nesting deep enough to overflow the stack: not something Paygate sends, and not worth more.
    return hints;
  }
  if (compact !== text) {
    hints.push(
      `The body is JSON but not in the compact form Paygate sends (no whitespace between tokens), so it looks re-formatted after it left Paygate (JSON.stringify(body, null, 2), a logging or proxy layer, an added newline) or it was not sent by Paygate. Verify the raw bytes as received. ${RAW_BODY_RECIPES}`,
    );
  } else {
    hints.push(
      'The body is compact JSON, as Paygate sends it, so a JSON parse-and-stringify round trip is not the cause (it would give back the same text); the secret is the likeliest culprit, or the body was changed.',
    );
  }
  return hints;
}

function secretHints({ scheme, secrets, candidates, malformed }: MismatchFacts): string[] {
  const hints: string[] = [];
  secrets.forEach((secret, index) => {
    if (secret.startsWith('key_') || secret.startsWith('secret_')) {
      const which = secrets.length > 1 ? `Secret #${index + 1}` : 'The secret';
      hints.push(`${which} looks like an API credential (key_… or secret_…), not the webhook secret (whsec_…).`);
    }
  });
  if (malformed > 0) hints.push(`${malformed} v1 signature(s) were not valid base64 and were ignored.`);
  const signatures = scheme === 'v1' ? 'v1 signature(s)' : 'legacy X-Webhook-Signature value(s)';
  hints.push(
    `Tried ${secrets.length} secret(s) against ${candidates} ${signatures}. Use this endpoint's webhook secret (whsec_…); while rotating, pass both: [newSecret, oldSecret].`,
  );
  return hints;
}

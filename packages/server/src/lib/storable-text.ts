/** What a receiver's response body or an error message may hold at most, in UTF-16 units. */
export const STORED_TEXT_LIMIT = 1024;

/**
 * Text a receiver sent back, made safe to store in a PostgreSQL `text` column: NUL (which
 * PostgreSQL refuses in text) and lone surrogates (which it refuses in JSON) become U+FFFD, as
 * invalid UTF-8 already did when it was decoded; then it is cut to `limit` UTF-16 units without
 * splitting a character in two.
 */
export function toStorableText(text: string, limit = STORED_TEXT_LIMIT): string {
  // String.prototype.toWellFormed() does the surrogates, but it is ES2024, past our lib (ES2023).
  const safe = text.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  if (safe.length <= limit) return safe;
  // Cutting between a high and a low surrogate would leave half a character: cut before it.
  const end = /[\uD800-\uDBFF]/.test(safe[limit - 1]!) ? limit - 1 : limit;
  return safe.slice(0, end);
}

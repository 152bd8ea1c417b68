// Helpers that turn zod issues into sentences that name the field and teach the fix.
// Internal: the public surface is the schemas and `parseInput`.

/** The part of a zod issue the message helpers read. */
type IssueLike = { readonly input?: unknown };

/** A short, safe rendering of what the client sent, for "…; got X" suffixes. */
export function describeReceived(input: unknown): string {
  if (input === null || input === undefined) return String(input);
  if (Array.isArray(input)) return 'an array';
  switch (typeof input) {
    case 'string':
      return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
    case 'number':
    case 'boolean':
      return String(input);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof input}`;
  }
}

/**
 * An error function for zod: `"<field> is required: <what>"` when the field is missing,
 * otherwise `"<field> must be <what>; got <input>"`.
 */
export function mustBe(field: string, what: string): (issue: IssueLike) => string {
  return (issue) => (issue.input === undefined ? `${field} is required: it must be ${what}` : `${field} must be ${what}; got ${describeReceived(issue.input)}`);
}

/** Like {@link mustBe} but without echoing the input (for secrets such as card numbers and CVVs). */
export function mustBeSecret(field: string, what: string): (issue: IssueLike) => string {
  return (issue) => (issue.input === undefined ? `${field} is required: it must be ${what}` : `${field} must be ${what}`);
}

/** What the reads that flatten gave, kept so that an optimizing compiler cannot drop them as unused. */
let firstCodes = 0;

/**
 * `text` itself, flattened in place. V8 keeps a string built by `+` (a compiled JSON writer's
 * output: one piece a key and a value) as a tree of its pieces, and every use that needs its
 * characters walks that tree again: each batch's `join`, the answer's `Buffer.byteLength`, a
 * signature's hash. Reading a character of such a tree has V8 replace it, in place, by one block
 * of characters (`Runtime_StringCharCodeAt` flattens it), so every later use copies that block,
 * and so does a text that embeds this one. Worth it for a text used more than once: a new
 * payment's JSON is walked three times in the API (its two events and the answer) and its row's
 * copy twice (the insert and the job); a settled payment's JSON twice in a worker (its event and
 * its webhook).
 */
export function flatText(text: string): string {
  firstCodes ^= text.charCodeAt(0);
  return text;
}

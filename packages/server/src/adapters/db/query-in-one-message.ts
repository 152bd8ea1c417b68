// A statement with parameters, run on PGlite in one extended-protocol message.
//
// Imported by the embedded database's thread, which runs from dist/ (see its header): it imports
// nothing of ours.
import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';

/** A parameter as PostgreSQL receives it: text, or NULL. */
type WireValue = string | null;

/**
 * Runs `sql` with `params` as PGlite's `query` does, but in one call into the engine instead of
 * six. `query` sends Parse, Describe, Bind, Describe, Execute and Sync one at a time, each a call
 * into the WebAssembly engine with its own message and reply to build and parse, so as to learn
 * the parameters' types first and serialize each by its type. Here the parameters are serialized
 * by their JavaScript type instead, as node-postgres does for the same statements on a PostgreSQL
 * server (PostgreSQL infers each type from the statement either way), and the six messages go in
 * one: about 60 µs less of the engine's thread a statement (a scratch loop of a three-parameter
 * insert function on disk, two rounds after a first: 208–212 µs a call with `query`, 145–158 in
 * one message), a tenth of that thread's CPU for a lone payment (see docs/performance.md).
 *
 * The reply is read as `query` reads it (`parseResults`, the engine's own type parsers), and a
 * statement's failure throws PostgreSQL's error with its fields (code, constraint, …), the
 * statement's text added as `query` adds it.
 */
export async function queryInOneMessage<T>(
  pglite: PGlite,
  sql: string,
  params: readonly unknown[] | undefined,
  rowMode: 'array' | 'object' | undefined,
): Promise<Results<T>> {
  const values = (params ?? []).map(toWireValue);
  const message = concatenated([
    protocol.serialize.parse({ text: sql }),
    protocol.serialize.bind({ values }),
    protocol.serialize.describe({ type: 'P' }),
    protocol.serialize.execute({}),
    protocol.serialize.sync(),
  ]);
  let messages;
  try {
    // The stream form parses the reply as it comes, as `query` does; `execProtocol` would first
    // copy it whole into a buffer of its own, and then once more for its answer.
    messages = await pglite.execProtocolStream(message, { syncToFs: true });
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { query: sql });
    throw error;
  }
  const options = rowMode ? { rowMode } : undefined;
  return parse.parseResults(messages, pglite.parsers, options)[0] as Results<T>;
}

/**
 * A parameter's text, by its JavaScript type, as node-postgres sends it (`prepareValue`), with
 * PGlite's forms where the two differ and PostgreSQL takes both: dates in UTC (`toISOString`),
 * bytes as `\x` hex.
 */
export function toWireValue(value: unknown): WireValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return arrayLiteral(value);
  return scalarText(value);
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (typeof value === 'object') return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value); // numbers, bigints, booleans ('true'/'false', which PostgreSQL's boolean takes)
}

/** A PostgreSQL array literal, `{"a","b\"c",NULL}`, nested arrays as nested braces. */
function arrayLiteral(items: readonly unknown[]): string {
  const elements = items.map((item) => {
    if (item === null || item === undefined) return 'NULL';
    if (Array.isArray(item)) return arrayLiteral(item);
    return `"${scalarText(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${elements.join(',')}}`;
}

function concatenated(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}

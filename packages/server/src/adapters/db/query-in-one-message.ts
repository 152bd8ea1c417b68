// A statement with parameters, run on PGlite in one extended-protocol message.
//
// Imported by the embedded database's thread, which runs from dist/ (see its header): it imports
// nothing of ours but extended-query-reply.js.
import type { PGlite, Results } from '@electric-sql/pglite';
import { readExtendedQueryReply, ReplyBytes } from './extended-query-reply.js';

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
 * The reply is read into what `query` answers (rows by the engine's own type parsers, fields,
 * rows changed), and a statement's failure throws PostgreSQL's error with its fields (code,
 * constraint, …), the statement's text added as `query` adds it.
 */
export async function queryInOneMessage<T>(
  pglite: PGlite,
  sql: string,
  params: readonly unknown[] | undefined,
  rowMode: 'array' | 'object' | undefined,
): Promise<Results<T>> {
  const message = extendedQuery(sql, (params ?? []).map(toWireValue));
  const reply = new ReplyBytes();
  // The raw form: PGlite's own reading of the reply (`query`'s and `execProtocol`'s) copies every
  // text in it into an ArrayBuffer of its own first (see extended-query-reply.ts).
  await pglite.execProtocolRawStream(message, { syncToFs: true, onRawData: (piece) => reply.append(piece) });
  try {
    return readExtendedQueryReply<T>(reply.bytes, pglite.parsers, rowMode);
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { query: sql });
    throw error;
  }
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

const utf8 = new TextEncoder();

/**
 * Parse, Bind, Describe (the portal), Execute and Sync of `sql` with `values`, all text, unnamed
 * statement and portal, as one message: written straight into one buffer, where PGlite's
 * serializer makes a buffer for each message and grows each as it writes.
 */
function extendedQuery(sql: string, values: readonly WireValue[]): Uint8Array {
  // UTF-8 takes at most three bytes for each UTF-16 unit; the rest is the messages' framing.
  let bound = 64 + 3 * sql.length;
  for (const value of values) bound += 4 + (value === null ? 0 : 3 * value.length);
  const out = new Uint8Array(bound);
  let at = 0;
  const byte = (b: number) => {
    out[at++] = b;
  };
  const int16 = (n: number) => {
    out[at++] = (n >> 8) & 0xff;
    out[at++] = n & 0xff;
  };
  const int32At = (where: number, n: number) => {
    out[where] = (n >>> 24) & 0xff;
    out[where + 1] = (n >>> 16) & 0xff;
    out[where + 2] = (n >>> 8) & 0xff;
    out[where + 3] = n & 0xff;
  };
  const text = (value: string) => {
    at += utf8.encodeInto(value, out.subarray(at)).written;
  };
  /** A message: its type, then its length (itself included) once `body` has written the rest. */
  const message = (type: string, body: () => void) => {
    byte(type.charCodeAt(0));
    const lengthAt = at;
    at += 4;
    body();
    int32At(lengthAt, at - lengthAt);
  };
  message('P', () => {
    byte(0); // unnamed statement
    text(sql);
    byte(0);
    int16(0); // no parameter types: PostgreSQL infers them
  });
  message('B', () => {
    byte(0); // unnamed portal
    byte(0); // of the unnamed statement
    int16(0); // every parameter as text
    int16(values.length);
    for (const value of values) {
      if (value === null) {
        int32At(at, -1);
        at += 4;
        continue;
      }
      const lengthAt = at;
      at += 4;
      text(value);
      int32At(lengthAt, at - lengthAt - 4);
    }
    int16(0); // every column as text
  });
  message('D', () => {
    byte(0x50); // 'P': the portal
    byte(0);
  });
  message('E', () => {
    byte(0); // the unnamed portal
    int32At(at, 0); // all its rows
    at += 4;
  });
  message('S', () => undefined);
  return out.subarray(0, at);
}

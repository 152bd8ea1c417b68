// PostgreSQL's reply to one extended-protocol query, read as PGlite's `query` reads it.
//
// Imported by the embedded database's thread, which runs from dist/ (see its header): it imports
// nothing of ours.
import type { Results } from '@electric-sql/pglite';

/** A column of the reply: its name and its type's OID. */
type Field = { name: string; dataTypeID: number };

/** A column's text to its value, by the column's type (PGlite's `parsers`, keyed by type OID). */
type Parsers = Readonly<Record<number, ((text: string, typeId: number) => unknown) | undefined>>;

/**
 * The reply's bytes as the engine writes them. The engine hands each piece over as a view into
 * its own memory, valid only during the call, so each is copied in at once.
 */
export class ReplyBytes {
  #bytes = new Uint8Array(4096);
  #length = 0;

  append(piece: Uint8Array): void {
    const needed = this.#length + piece.length;
    if (needed > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.#bytes.length * 2));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
    }
    this.#bytes.set(piece, this.#length);
    this.#length = needed;
  }

  get bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }
}

/** PostgreSQL's error fields by their one-letter codes in an ErrorResponse, named as node-postgres and PGlite name them. */
const ERROR_FIELDS: Readonly<Record<string, string>> = {
  S: 'severity',
  C: 'code',
  D: 'detail',
  H: 'hint',
  P: 'position',
  p: 'internalPosition',
  q: 'internalQuery',
  W: 'where',
  s: 'schema',
  t: 'table',
  c: 'column',
  d: 'dataType',
  n: 'constraint',
  F: 'file',
  L: 'line',
  R: 'routine',
};

/** Command tags whose count is rows changed (PGlite's `affectedRows`). */
const CHANGING = new Set(['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE']);

const utf8 = new TextDecoder();

/**
 * The rows, fields and rows changed of the one query in `reply` (its RowDescription, DataRows and
 * CommandComplete; ParseComplete, BindComplete, notices and ReadyForQuery pass), or its error:
 * thrown as PostgreSQL's ErrorResponse gives it, the fields PGlite's error has (code, constraint,
 * detail…) on an Error named `error`, as node-postgres and PGlite name it.
 *
 * In place of PGlite's protocol parser, which copies each text it reads (every column name and
 * every value of every row) into an ArrayBuffer of its own before decoding it: here each is
 * decoded from the reply where it lies.
 */
export function readExtendedQueryReply<T>(reply: Uint8Array, parsers: Parsers, rowMode: 'array' | 'object' | undefined): Results<T> {
  let fields: Field[] = [];
  const rows: unknown[] = [];
  let affectedRows = 0;
  let error: Error | undefined;
  let at = 0;
  while (at + 5 <= reply.length) {
    const kind = reply[at]!;
    const length = int32(reply, at + 1); // the message's, itself included: 4 at least
    if (length < 4) throw new Error(`the embedded database's reply is malformed (a message of length ${length} at byte ${at})`);
    const end = at + 1 + length;
    const body = at + 5;
    if (kind === 0x54 /* T: RowDescription */) fields = rowDescription(reply, body);
    else if (kind === 0x44 /* D: DataRow */) rows.push(dataRow(reply, body, fields, parsers, rowMode));
    else if (kind === 0x43 /* C: CommandComplete */) {
      const tag = cstring(reply, body).text.split(' ');
      if (CHANGING.has(tag[0]!)) affectedRows += Number.parseInt(tag.at(-1)!, 10);
    } else if (kind === 0x45 /* E: ErrorResponse */) error ??= errorResponse(reply, body, end);
    at = end;
  }
  if (error) throw error;
  return { rows: rows as T[], fields, affectedRows };
}

function rowDescription(reply: Uint8Array, at: number): Field[] {
  const count = int16(reply, at);
  const fields = new Array<Field>(count);
  let next = at + 2;
  for (let i = 0; i < count; i++) {
    const name = cstring(reply, next);
    // after the name: table OID (4), column number (2), type OID (4), size (2), modifier (4), format (2)
    fields[i] = { name: name.text, dataTypeID: int32(reply, name.end + 6) };
    next = name.end + 18;
  }
  return fields;
}

function dataRow(reply: Uint8Array, at: number, fields: readonly Field[], parsers: Parsers, rowMode: 'array' | 'object' | undefined): unknown {
  const count = int16(reply, at);
  const values = new Array<unknown>(count);
  let next = at + 2;
  for (let i = 0; i < count; i++) {
    const length = int32(reply, next);
    next += 4;
    if (length < 0) {
      values[i] = null;
      continue;
    }
    const text = utf8.decode(reply.subarray(next, next + length));
    next += length;
    const typeId = fields[i]?.dataTypeID ?? 0;
    const parse = parsers[typeId];
    values[i] = parse ? parse(text, typeId) : text;
  }
  if (rowMode === 'array') return values;
  const row: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) row[fields[i]?.name ?? String(i)] = values[i];
  return row;
}

function errorResponse(reply: Uint8Array, at: number, end: number): Error {
  const given: Record<string, string> = {};
  let next = at;
  while (next < end && reply[next] !== 0) {
    const code = String.fromCharCode(reply[next]!);
    const value = cstring(reply, next + 1);
    given[code] = value.text;
    next = value.end;
  }
  const error = Object.assign(new Error(given['M'] ?? 'the embedded database failed the statement'), { length: end - at + 4 });
  error.name = 'error';
  for (const [code, name] of Object.entries(ERROR_FIELDS)) if (given[code] !== undefined) Object.assign(error, { [name]: given[code] });
  return error;
}

/** A NUL-ended text at `at`, and where the next field begins. */
function cstring(reply: Uint8Array, at: number): { text: string; end: number } {
  const nul = reply.indexOf(0, at);
  return { text: utf8.decode(reply.subarray(at, nul)), end: nul + 1 };
}

function int32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

function int16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

import { describe, expect, it } from 'vitest';
import { readExtendedQueryReply, ReplyBytes } from './extended-query-reply.js';

/** A backend message: its type, its length (itself included), its body. */
function message(type: string, ...body: number[][]): number[] {
  const bytes = body.flat();
  const length = bytes.length + 4;
  return [type.charCodeAt(0), length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff, ...bytes];
}
const int16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const int32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const cstring = (text: string) => [...new TextEncoder().encode(text), 0];
const column = (name: string, typeId: number) => [...cstring(name), ...int32(0), ...int16(0), ...int32(typeId), ...int16(-1), ...int32(-1), ...int16(0)];
const value = (text: string | null) => (text === null ? int32(-1) : [...int32(new TextEncoder().encode(text).length), ...new TextEncoder().encode(text)]);

const INT4 = 23;
const TEXT = 25;

describe("reading PostgreSQL's reply to one query", () => {
  const reply = [
    ...message('1'), // ParseComplete
    ...message('2'), // BindComplete
    ...message('T', int16(2), column('n', INT4), column('label', TEXT)),
    ...message('D', int16(2), value('7'), value('naïve ✓')),
    ...message('D', int16(2), value('8'), value(null)),
    ...message('C', cstring('UPDATE 2')),
    ...message('Z', [0x49]), // ReadyForQuery, idle
  ];
  const parsers = { [INT4]: (text: string) => Number(text) };

  it('joins the pieces the engine hands over, however they are cut, and reads rows by their columns’ types', () => {
    const bytes = new ReplyBytes();
    for (const byte of reply) bytes.append(new Uint8Array([byte])); // one byte at a time: every cut
    const result = readExtendedQueryReply(bytes.bytes, parsers, undefined);
    expect(result).toEqual({
      rows: [
        { n: 7, label: 'naïve ✓' },
        { n: 8, label: null },
      ],
      fields: [
        { name: 'n', dataTypeID: INT4 },
        { name: 'label', dataTypeID: TEXT },
      ],
      affectedRows: 2,
    });
    expect(readExtendedQueryReply(bytes.bytes, parsers, 'array').rows).toEqual([
      [7, 'naïve ✓'],
      [8, null],
    ]);
  });

  it('throws the first error with its fields, named as node-postgres names it', () => {
    const failed = [
      ...message('1'),
      ...message('E', cstring('SERROR'), cstring('C23505'), cstring('Mduplicate key value'), cstring('nthings_pkey'), [0]),
      ...message('E', cstring('SERROR'), cstring('C99999'), cstring('Ma later one'), [0]),
      ...message('Z', [0x49]),
    ];
    const error = (() => {
      try {
        readExtendedQueryReply(new Uint8Array(failed), parsers, undefined);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'error', message: 'duplicate key value', severity: 'ERROR', code: '23505', constraint: 'things_pkey' });
    expect(error).not.toHaveProperty('detail');
  });

  it('refuses a reply whose message lengths cannot be, rather than reading on', () => {
    expect(() => readExtendedQueryReply(new Uint8Array([0x43, 0, 0, 0, 0]), parsers, undefined)).toThrow(/malformed/);
  });
});

import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64, toHex, utf8 } from './encoding.js';

describe('encoding', () => {
  it('utf8 encodes multi-byte characters', () => {
    expect(Array.from(utf8('₹'))).toEqual([0xe2, 0x82, 0xb9]);
  });

  it('toHex and toBase64 agree with Buffer (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
        expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        if (bytes.length > 0) expect(Array.from(fromBase64(toBase64(bytes)) ?? [])).toEqual(Array.from(bytes));
      }),
    );
    expect(toHex(createHash('sha256').update('').digest())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('fromBase64 accepts only canonical padded base64', () => {
    expect(Array.from(fromBase64('AAEC') ?? [])).toEqual([0, 1, 2]);
    expect(Array.from(fromBase64('AA==') ?? [])).toEqual([0]);
    expect(fromBase64('')).toBeUndefined();
    expect(fromBase64('test_abc123')).toBeUndefined(); // the seed secret's tail
    expect(fromBase64('AA')).toBeUndefined(); // unpadded
    expect(fromBase64('A===')).toBeUndefined();
    expect(fromBase64('AA==AAAA')).toBeUndefined(); // padding in the middle
    expect(fromBase64('AB-_')).toBeUndefined(); // base64url alphabet
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPaygateError } from '../errors/paygate-error.js';
import { BASE62_ALPHABET, cryptoRandomBytes, randomBase62 } from './random.js';

/** A random source that replays `bytes` in a loop. */
function replay(bytes: number[]): (n: number) => Uint8Array {
  let i = 0;
  return (n) => Uint8Array.from({ length: n }, () => bytes[i++ % bytes.length] ?? 0);
}

describe('cryptoRandomBytes', () => {
  it('returns the requested number of bytes, different each time', () => {
    const a = cryptoRandomBytes(32);
    const b = cryptoRandomBytes(32);
    expect(a).toHaveLength(32);
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('never hands out the same bytes twice, across refills of its pool, and its results are copies', () => {
    // 3,000 draws of 24 bytes span many 4 KiB refills; a reused slice would repeat a draw
    const draws = Array.from({ length: 3_000 }, () => cryptoRandomBytes(24));
    expect(draws.every((d) => d.length === 24)).toBe(true);
    expect(new Set(draws.map((d) => Buffer.from(d).toString('hex'))).size).toBe(draws.length);
    // changing what it returned changes nothing it returns later
    const first = cryptoRandomBytes(16);
    first.fill(0);
    expect(Array.from(cryptoRandomBytes(16))).not.toEqual(Array.from(first));
    // and a large request is served in full
    expect(cryptoRandomBytes(10_000)).toHaveLength(10_000);
  });
});

describe('randomBase62', () => {
  it('maps bytes below 248 to alphabet[byte % 62]', () => {
    expect(randomBase62(5, replay([0, 61, 62, 123, 247]))).toBe('0z0zz');
  });

  it('skips bytes 248..255 instead of folding them onto the first characters (no modulo bias)', () => {
    // Given a source whose first eight bytes would all fold onto '0'..'7' with a plain modulo
    const source = replay([248, 249, 250, 251, 252, 253, 254, 255, 10, 11]);
    // Then they are rejected and only 10 and 11 are used
    expect(randomBase62(2, source)).toBe('AB');
  });

  it('is exactly uniform over one full cycle of byte values', () => {
    const bytes = Array.from({ length: 256 }, (_, i) => i);
    const text = randomBase62(248, replay(bytes));
    const counts = new Map<string, number>();
    for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    expect(new Set(counts.values())).toEqual(new Set([4]));
  });

  it('asks for more bytes when a round did not yield enough', () => {
    const requests: number[] = [];
    const source = (n: number) => {
      requests.push(n);
      return new Uint8Array(n).fill(requests.length === 1 ? 255 : 1);
    };
    expect(randomBase62(4, source)).toBe('1111');
    expect(requests.length).toBe(2);
  });

  it('fails loudly on a broken source that never yields a usable byte', () => {
    expect.assertions(2);
    try {
      randomBase62(4, (n) => new Uint8Array(n).fill(255));
    } catch (err) {
      expect(isPaygateError(err)).toBe(true);
      expect((err as { code: string }).code).toBe('SERVER_ERROR');
    }
  });

  it('always yields exactly `length` base62 characters (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 64 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (length, seed) => {
        const source = replay([...seed, 7]);
        const text = randomBase62(length, source);
        expect(text).toHaveLength(length);
        for (const ch of text) expect(BASE62_ALPHABET).toContain(ch);
      }),
    );
  });
});

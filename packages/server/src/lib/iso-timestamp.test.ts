import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp.js';

const at = (ms: number) => new Date(ms);

describe('isoTimestamp', () => {
  it('writes what toISOString writes, within a second, across seconds and back in time', () => {
    const start = Date.UTC(2026, 11, 3, 23, 59, 59, 990);
    // Forward through a second, a minute, an hour and a year's end, then back to before it.
    const times = [start, start + 1, start + 9, start + 10, start + 11, start + 100, start + 1000, start + 999, start - 1, start - 990, start - 991];
    for (const ms of times) expect(isoTimestamp(at(ms))).toBe(at(ms).toISOString());
  });

  it('agrees with toISOString on dates all over its four-digit years', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 5000; i += 1) {
      const ms = Math.floor(next() * Date.UTC(9999, 11, 31, 23, 59, 59, 999));
      expect(isoTimestamp(at(ms))).toBe(at(ms).toISOString());
    }
    expect(isoTimestamp(at(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTimestamp(at(Date.UTC(9999, 11, 31, 23, 59, 59, 999)))).toBe('9999-12-31T23:59:59.999Z');
  });

  it('leaves dates outside the years 0000–9999 to toISOString, and throws on an invalid one as it does', () => {
    for (const ms of [-1, -62_198_755_200_000, Date.UTC(10000, 0, 1), 8.64e15]) expect(isoTimestamp(at(ms))).toBe(at(ms).toISOString());
    expect(isoTimestamp(at(Date.UTC(10000, 0, 1)))).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('keeps a missing timestamp missing', () => {
    expect(isoTimestamp(null)).toBeNull();
  });
});

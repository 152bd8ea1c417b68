import { describe, expect, it, vi } from 'vitest';
import { jsonWriter } from './json-writer.js';

type Sample = {
  id: string;
  note: string | null;
  amount: number;
  refunded: number | null;
  captured: boolean;
  created_at: Date;
  processed_at: Date | null;
  notes: Record<string, string> | null;
};

const writeSample = jsonWriter<Sample>({
  id: 'string',
  note: 'string?',
  amount: 'number',
  refunded: 'number?',
  captured: 'boolean',
  created_at: 'date',
  processed_at: 'date?',
  notes: 'json',
});

const base: Sample = {
  id: 'pay_1',
  note: 'plain',
  amount: 50000,
  refunded: null,
  captured: false,
  created_at: new Date('2026-12-06T22:41:07.123Z'),
  processed_at: null,
  notes: { k: 'v' },
};

describe('jsonWriter', () => {
  it('writes what JSON.stringify writes, value by value', () => {
    const variants: Array<Partial<Sample>> = [
      {},
      { note: null, refunded: 0, captured: true, processed_at: new Date('1999-01-01T00:00:00.000Z'), notes: null },
      { note: 'quote " backslash \\ newline \n tab \t nul \u0000 unit separator \u001f' },
      { note: 'é, 中文, emoji 😀 (a pair), lone \ud83d high, lone \ude00 low, \u2028 line separator' },
      { note: '' },
      { amount: -0, refunded: 1.5 },
      { amount: Number.NaN, refunded: Number.POSITIVE_INFINITY },
      { amount: 1e21 },
      { created_at: new Date(Date.UTC(12000, 0, 1)) }, // past four-digit years: toISOString's other format
      { created_at: new Date(Date.UTC(-5, 0, 1)) },
      { processed_at: new Date(Number.NaN) }, // invalid: JSON.stringify writes null
      { notes: { nested: 'a "quoted" value', list: '[1,2]' } },
    ];
    for (const variant of variants) {
      const value = { ...base, ...variant };
      expect(writeSample(value)).toBe(JSON.stringify(value));
    }
  });

  it('writes a value of its declared kinds without JSON.stringify of the whole object', () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      writeSample({ ...base, note: 'a "quoted" note' });
      // Only the json field and the string that needs escapes went through it.
      expect(stringify.mock.calls.map(([value]) => value)).toEqual(['a "quoted" note', base.notes]);
      stringify.mockClear();
      writeSample({ ...base, amount: '1' } as unknown as Sample);
      expect(stringify.mock.calls.some(([value]) => typeof value === 'object' && value !== null && 'id' in value)).toBe(true);
    } finally {
      stringify.mockRestore();
    }
  });

  it('writes the keys in its spec’s order and no others', () => {
    const value = { extra: 'not written', ...base };
    expect(writeSample(value)).toBe(JSON.stringify(base));
    expect(Object.keys(JSON.parse(writeSample(value)) as object)).toEqual(Object.keys(base));
  });

  it('takes the slow way, with the same text, for a value not of its declared kind', () => {
    const wrong = [{ amount: '50000' }, { captured: 'yes' }, { created_at: '2026-12-06T22:41:07.123Z' }, { note: undefined }, { id: 7 }, { notes: undefined }];
    for (const variant of wrong) {
      const value = { ...base, ...variant } as unknown as Sample;
      expect(writeSample(value)).toBe(JSON.stringify(value));
    }
  });

  it('puts more members before the closing brace, the fast way and the slow way', () => {
    const more = ',"data":{"payment":{"id":"pay_1"}}';
    expect(writeSample(base, more)).toBe(JSON.stringify({ ...base, data: { payment: { id: 'pay_1' } } }));
    const slowValue = { ...base, amount: '1' } as unknown as Sample;
    expect(writeSample(slowValue, more)).toBe(JSON.stringify({ ...slowValue, data: { payment: { id: 'pay_1' } } }));
    expect(jsonWriter<Record<string, never>>({})({}, ',"data":1')).toBe('{"data":1}');
    expect(jsonWriter<Record<string, never>>({})({})).toBe('{}');
  });

  it('refuses a key it would have to escape, and a kind it does not know', () => {
    expect(() => jsonWriter<{ 'a"b': string }>({ 'a"b': 'string' })).toThrow(/not a plain identifier/);
    expect(() => jsonWriter<{ a: string }>({ a: 'text' as 'string' })).toThrow(/field a has kind text/);
  });
});

import { describe, expect, it } from 'vitest';
import { toStorableText } from './storable-text.js';

describe('toStorableText', () => {
  it('replaces NUL and lone surrogates with U+FFFD', () => {
    expect(toStorableText('a\u0000b')).toBe('a\uFFFDb');
    expect(toStorableText('x\uD83Dy\uDE00z')).toBe('x\uFFFDy\uFFFDz');
    expect(toStorableText('ok 😀')).toBe('ok 😀');
  });

  it('cuts to the limit on a character boundary', () => {
    expect(toStorableText('abcdef', 4)).toBe('abcd');
    expect(toStorableText('abc😀', 5)).toBe('abc😀');
    expect(toStorableText('abc😀', 4)).toBe('abc');
    expect(toStorableText('abcd😀', 5)).toBe('abcd');
    expect(toStorableText(`${'x'.repeat(1023)}😀`)).toHaveLength(1023);
  });
});

import { describe, expect, it } from 'vitest';
import { flatText } from './flat-text.js';

describe('flatText', () => {
  it('gives back the very text it was given, built of pieces or not, empty or not ASCII', () => {
    let built = '{';
    for (let i = 0; i < 40; i += 1) built += `${i === 0 ? '' : ','}"k${i}":"v${i}"`;
    built += '}';
    const samples = [built, '', 'é', '😀 at the start', `{"payment":${built}}`];
    for (const text of samples) {
      const copy = text.split('').join('');
      expect(flatText(text)).toBe(copy);
    }
    // The text embedded after it was flattened reads the same too.
    expect(JSON.parse(`[${flatText(built)},${built}]`)).toEqual([JSON.parse(built), JSON.parse(built)]);
  });
});

import { describe, expect, it } from 'vitest';
import { tierUpFlag } from './tier-up-sooner.js';

describe('tierUpFlag', () => {
  it("sets a quarter of Node 20's interrupt budget on V8 11", () => {
    expect(tierUpFlag({ execArgv: [], versions: { v8: '11.3.244.8-node.33' } })).toBe('--interrupt-budget=16896');
  });

  it('leaves a budget given on the command line alone', () => {
    expect(tierUpFlag({ execArgv: ['--interrupt-budget=132000'], versions: { v8: '11.3.244.8-node.33' } })).toBeUndefined();
  });

  it('leaves a later V8, with tiers it was not measured on, alone', () => {
    expect(tierUpFlag({ execArgv: [], versions: { v8: '12.4.254.21-node.33' } })).toBeUndefined();
  });
});

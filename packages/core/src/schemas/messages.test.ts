import { describe, expect, it } from 'vitest';
import { describeReceived, mustBe, mustBeSecret } from './messages.js';

describe('describeReceived', () => {
  it('renders what the client sent, briefly', () => {
    expect(describeReceived('500')).toBe('"500"');
    expect(describeReceived('x'.repeat(50))).toBe(`"${'x'.repeat(40)}…"`);
    expect(describeReceived(1.5)).toBe('1.5');
    expect(describeReceived(false)).toBe('false');
    expect(describeReceived(null)).toBe('null');
    expect(describeReceived([1])).toBe('an array');
    expect(describeReceived({ a: 1 })).toBe('an object');
    expect(describeReceived(10n)).toBe('a bigint');
    expect(describeReceived(undefined)).toBe('undefined');
  });
});

describe('mustBe / mustBeSecret', () => {
  it('say "is required" for a missing value and echo the input otherwise (never for secrets)', () => {
    expect(mustBe('amount', 'an integer')({ input: undefined })).toBe('amount is required: it must be an integer');
    expect(mustBe('amount', 'an integer')({ input: 'x' })).toBe('amount must be an integer; got "x"');
    expect(mustBeSecret('card.cvv', '3 digits')({ input: undefined })).toBe('card.cvv is required: it must be 3 digits');
    expect(mustBeSecret('card.cvv', '3 digits')({ input: '12' })).toBe('card.cvv must be 3 digits');
  });
});

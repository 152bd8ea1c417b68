import { describe, expect, it } from 'vitest';
import { isValidVpa } from './vpa.js';

describe('isValidVpa', () => {
  it.each(['user@paytm', 'success@paygate', 'jane.doe-1_x@okaxis', 'ab@cd', `${'a'.repeat(256)}@${'b'.repeat(64)}`])('accepts %s', (vpa) =>
    expect(isValidVpa(vpa)).toBe(true),
  );

  it.each([
    'a@paytm', // handle too short
    `${'a'.repeat(257)}@paytm`,
    'user@p', // bank too short
    `user@${'b'.repeat(65)}`,
    'user@pay1', // digits in the bank part
    'user paytm',
    'user@@paytm',
    'us er@paytm',
    'user@paytm ',
    '',
  ])('rejects %j', (vpa) => expect(isValidVpa(vpa)).toBe(false));

  it('rejects non-strings', () => {
    expect(isValidVpa(undefined)).toBe(false);
    expect(isValidVpa(42)).toBe(false);
  });
});

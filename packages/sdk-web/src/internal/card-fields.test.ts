import { describe, expect, it } from 'vitest';
import { cardNumberError, cvvError, expiryError, formatCardNumber, formatExpiry, nameError, parseExpiry, vpaError } from './card-fields.js';

const NOW = new Date('2026-11-29T12:00:00Z');

describe('card number', () => {
  it('groups digits as the card prints them and drops anything else', () => {
    expect(formatCardNumber('4111111111111111')).toBe('4111 1111 1111 1111');
    expect(formatCardNumber('4111-1111 11')).toBe('4111 1111 11');
    expect(formatCardNumber('378282246310005')).toBe('3782 822463 10005');
    expect(formatCardNumber('41111111111111119999')).toBe('4111 1111 1111 1111');
    expect(formatCardNumber('abc')).toBe('');
  });

  it('says nothing while the shopper is still typing, and judges a full or finished number', () => {
    expect(cardNumberError('4111 1111', false)).toBeNull();
    expect(cardNumberError('4111 1111', true)).toBe('The card number is too short.');
    expect(cardNumberError('4111 1111 1111 1112', false)).toBe('This card number is not valid. Check the digits.');
    expect(cardNumberError('4111 1111 1111 1111', false)).toBeNull();
    expect(cardNumberError('', true)).toBe('Enter the card number.');
  });
});

describe('expiry', () => {
  it('adds the slash after the month and pads a one-digit month', () => {
    expect(formatExpiry('1')).toBe('1');
    expect(formatExpiry('3')).toBe('03/');
    expect(formatExpiry('12')).toBe('12/');
    expect(formatExpiry('12', true)).toBe('12');
    expect(formatExpiry('1229')).toBe('12/29');
    expect(formatExpiry('12/295')).toBe('12/29');
  });

  it('parses MM/YY and rejects a past or impossible date', () => {
    expect(parseExpiry('07/29')).toEqual({ month: 7, year: 2029 });
    expect(parseExpiry('7/29')).toBeNull();
    expect(expiryError('12/29', NOW, true)).toBeNull();
    expect(expiryError('11/26', NOW, true)).toBeNull(); // valid through the end of its month
    expect(expiryError('10/26', NOW, true)).toBe('This card has expired.');
    expect(expiryError('13/29', NOW, true)).toBe('The month must be 01 to 12.');
    expect(expiryError('12/', NOW, false)).toBeNull();
    expect(expiryError('12/', NOW, true)).toBe('Enter the expiry as MM/YY.');
  });
});

describe('CVV, UPI ID and name', () => {
  it('wants 3 CVV digits, 4 for American Express', () => {
    expect(cvvError('123', '4111111111111111', true)).toBeNull();
    expect(cvvError('12', '4111111111111111', false)).toBeNull();
    expect(cvvError('12', '4111111111111111', true)).toBe('The CVV has 3 digits.');
    expect(cvvError('123', '378282246310005', true)).toBe('The CVV has 4 digits.');
    expect(cvvError('1234', '378282246310005', true)).toBeNull();
  });

  it('checks the UPI ID shape once there is an @ or the field is finished', () => {
    expect(vpaError('success@paygate', true)).toBeNull();
    expect(vpaError('user', false)).toBeNull();
    expect(vpaError('user', true)).toBe('Enter a UPI ID like name@bank.');
    expect(vpaError('user@1', false)).toBe('Enter a UPI ID like name@bank.');
    expect(vpaError('', true)).toBe('Enter your UPI ID, like name@bank.');
  });

  it('asks for the name on the card', () => {
    expect(nameError('', true)).toBe('Enter the name on the card.');
    expect(nameError('A Shopper', true)).toBeNull();
    expect(nameError('x'.repeat(101), false)).toBe('The name is at most 100 characters.');
  });
});

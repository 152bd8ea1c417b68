import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMoney, parseMajorAmount, startOfToday, toMajorText } from '../src/lib/format.js';
import { matchRoute } from '../src/lib/router.js';

describe('amounts at the display edge', () => {
  it('reads minor units with the currency exponent Intl knows', () => {
    expect([currencyExponent('INR'), currencyExponent('JPY'), currencyExponent('KWD')]).toEqual([2, 0, 3]);
    expect(formatMoney(50050, 'INR')).toContain('500.50');
    expect(formatMoney(500, 'JPY')).toContain('500');
    expect(formatMoney(500, 'JPY')).not.toContain('.');
    expect(toMajorText(37950, 'INR')).toBe('379.50');
    expect(toMajorText(37950, 'JPY')).toBe('37950');
  });

  it('turns a typed amount into minor units, refusing what the currency cannot hold', () => {
    expect(parseMajorAmount('120.50', 'INR')).toBe(12050);
    expect(parseMajorAmount('120,5', 'INR')).toBe(12050);
    expect(parseMajorAmount(' 7 ', 'INR')).toBe(700);
    expect(parseMajorAmount('1.234', 'KWD')).toBe(1234);
    expect(parseMajorAmount('0.001', 'INR')).toBeUndefined();
    expect(parseMajorAmount('1.5', 'JPY')).toBeUndefined();
    expect(parseMajorAmount('0', 'INR')).toBeUndefined();
    expect(parseMajorAmount('-5', 'INR')).toBeUndefined();
    expect(parseMajorAmount('ten', 'INR')).toBeUndefined();
    expect(parseMajorAmount('99999999999999999', 'INR')).toBeUndefined();
  });

  it("takes today from the viewer's clock", () => {
    const today = startOfToday(new Date(2026, 0, 15, 18, 30));
    expect([today.getFullYear(), today.getMonth(), today.getDate(), today.getHours(), today.getMinutes()]).toEqual([2026, 0, 15, 0, 0]);
  });
});

describe('routes under /dashboard', () => {
  it('names the page each path shows', () => {
    expect(matchRoute('/dashboard')).toEqual({ page: 'overview' });
    expect(matchRoute('/dashboard/')).toEqual({ page: 'overview' });
    expect(matchRoute('/dashboard/payments')).toEqual({ page: 'payments' });
    expect(matchRoute('/dashboard/payments/pay_abc')).toEqual({ page: 'payment', id: 'pay_abc' });
    expect(matchRoute('/dashboard/webhooks')).toEqual({ page: 'webhooks' });
    expect(matchRoute('/dashboard/docs')).toEqual({ page: 'docs' });
    expect(matchRoute('/dashboard/nope')).toEqual({ page: 'not-found', path: '/dashboard/nope' });
  });
});

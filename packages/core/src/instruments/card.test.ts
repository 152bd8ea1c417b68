import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARD_NETWORKS, cardLast4, cvvLengthFor, detectCardNetwork, isCardExpired, luhnCheck, normalizeCardNumber } from './card.js';

/** Append the Luhn check digit to a digit string (independent of luhnCheck). */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = body + d;
    const sum = [...candidate]
      .reverse()
      .map((c, i) => {
        const n = Number(c) * (i % 2 === 1 ? 2 : 1);
        return n > 9 ? n - 9 : n;
      })
      .reduce((a, b) => a + b, 0);
    if (sum % 10 === 0) return candidate;
  }
  /* v8 ignore next */
  throw new Error('unreachable');
}

describe('normalizeCardNumber', () => {
  it('strips spaces and dashes only', () => {
    expect(normalizeCardNumber('4111 1111-1111 1111')).toBe('4111111111111111');
    expect(normalizeCardNumber(' 4111\t1111 ')).toBe('41111111');
    expect(normalizeCardNumber('4111.1111')).toBe('4111.1111');
  });
});

describe('luhnCheck', () => {
  it.each(['4111111111111111', '5555555555554444', '4000000000000002', '378282246310005', '6011111111111117', '4111 1111 1111 1111'])('accepts %s', (n) =>
    expect(luhnCheck(n)).toBe(true),
  );

  it.each(['4111111111111112', '1234567812345678', '', 'abcd', '4111x11111111111'])('rejects %j', (n) => expect(luhnCheck(n)).toBe(false));

  it('accepts exactly one check digit per body (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11,18}$/), (body) => {
        const valid = withCheckDigit(body);
        expect(luhnCheck(valid)).toBe(true);
        const last = Number(valid.at(-1));
        for (let d = 0; d <= 9; d++) {
          if (d !== last) expect(luhnCheck(body + d)).toBe(false);
        }
      }),
    );
  });
});

describe('detectCardNetwork', () => {
  it.each([
    ['4111111111111111', 'visa'],
    ['4000000000000002', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['5105105105105100', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['2720990000000007', 'mastercard'],
    ['378282246310005', 'amex'],
    ['341111111111111', 'amex'],
    ['6011111111111117', 'discover'],
    ['6441111111111117', 'discover'],
    ['6221260000000000', 'discover'],
    ['6229250000000000', 'discover'],
    ['6221250000000000', 'unknown'], // just below Discover's 622126, and 62 is not RuPay
    ['6080000000000000', 'rupay'],
    ['6500000000000000', 'rupay'], // shared 65: RuPay wins (documented)
    ['8100000000000000', 'rupay'],
    ['8200000000000000', 'rupay'],
    ['5085000000000000', 'rupay'],
    ['3530000000000000', 'rupay'],
    ['3560000000000000', 'rupay'],
    ['3540000000000000', 'unknown'],
    ['2220990000000000', 'unknown'],
    ['2721000000000000', 'unknown'],
    ['5600000000000000', 'unknown'],
    ['9999999999999999', 'unknown'],
    ['4111 1111 1111 1111', 'visa'],
    ['', 'unknown'],
    ['4', 'visa'], // shorter than most prefixes
    ['6', 'unknown'],
    ['41x1', 'unknown'],
  ] as const)('%s is %s', (number, network) => {
    expect(detectCardNetwork(number)).toBe(network);
    expect(CARD_NETWORKS).toContain(network);
  });
});

describe('cardLast4', () => {
  it('returns the last four digits after normalising', () => {
    expect(cardLast4('4111 1111 1111 1234')).toBe('1234');
    expect(cardLast4('5555-5555-5555-4444')).toBe('4444');
  });
});

describe('isCardExpired', () => {
  const now = new Date('2026-11-15T12:00:00Z');

  it('is valid through the last day of the expiry month', () => {
    expect(isCardExpired(11, 2026, now)).toBe(false);
    expect(isCardExpired(11, 26, now)).toBe(false);
    expect(isCardExpired(11, 2026, new Date('2026-11-30T23:59:59.999Z'))).toBe(false);
    expect(isCardExpired(11, 2026, new Date('2026-12-01T00:00:00Z'))).toBe(true);
  });

  it('compares year first, then month', () => {
    expect(isCardExpired(10, 2026, now)).toBe(true);
    expect(isCardExpired(12, 2025, now)).toBe(true);
    expect(isCardExpired(1, 2027, now)).toBe(false);
    expect(isCardExpired(1, 27, now)).toBe(false);
    expect(isCardExpired(12, 25, now)).toBe(true);
  });

  it('treats impossible expiries as expired', () => {
    for (const [m, y] of [
      [0, 2030],
      [13, 2030],
      [1.5, 2030],
      [1, 203],
      [1, 20300],
      [1, -1],
      [1, 2030.5],
    ]) {
      expect(isCardExpired(m as number, y as number, now)).toBe(true);
    }
  });

  it('2-digit years mean 20YY (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 99 }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (m, yy, at) => {
          expect(isCardExpired(m, yy, at)).toBe(isCardExpired(m, 2000 + yy, at));
        },
      ),
    );
  });
});

describe('cvvLengthFor', () => {
  it('is 4 for amex, 3 otherwise', () => {
    expect(cvvLengthFor('amex')).toBe(4);
    for (const n of CARD_NETWORKS.filter((x) => x !== 'amex')) expect(cvvLengthFor(n)).toBe(3);
  });
});

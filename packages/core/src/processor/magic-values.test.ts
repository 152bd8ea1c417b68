import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectCardNetwork, luhnCheck } from '../instruments/card.js';
import { isValidVpa } from '../instruments/vpa.js';
import { MAGIC_VALUES, PAYMENT_ERROR_DESCRIPTIONS, classifyInstrument, formatMagicValuesTable } from './magic-values.js';

describe('MAGIC_VALUES', () => {
  it('holds the agreed outcomes', () => {
    const outcomes = Object.fromEntries(MAGIC_VALUES.map((m) => [m.value, m.outcome.status === 'success' ? 'success' : m.outcome.errorCode]));
    expect(outcomes).toMatchObject({
      'success@paygate': 'success',
      'failure@paygate': 'UPI_DECLINED',
      '4111111111111111': 'success',
      '5555555555554444': 'success',
      '4000000000000002': 'CARD_DECLINED',
      '4000000000009995': 'INSUFFICIENT_FUNDS',
      '4000000000000069': 'EXPIRED_CARD',
      '4000000000000119': 'PROCESSING_ERROR',
      '4000000000005126': 'success',
    });
    expect(classifyInstrument({ method: 'card', cardNumber: '4000 0000 0000 5126' })).toEqual({ status: 'success', refundsFail: true });
  });

  it('every magic instrument passes the input checks, so it reaches the processor', () => {
    for (const m of MAGIC_VALUES) {
      if (m.method === 'upi') expect(isValidVpa(m.value)).toBe(true);
      else {
        expect(luhnCheck(m.value)).toBe(true);
        expect(detectCardNetwork(m.value)).not.toBe('unknown');
      }
    }
    expect(new Set(MAGIC_VALUES.map((m) => m.value)).size).toBe(MAGIC_VALUES.length);
  });

  it('failures carry the description of their code', () => {
    for (const m of MAGIC_VALUES) {
      if (m.outcome.status === 'failed') expect(m.outcome.errorDescription).toBe(PAYMENT_ERROR_DESCRIPTIONS[m.outcome.errorCode]);
    }
  });
});

describe('classifyInstrument', () => {
  it('resolves magic VPAs, ignoring case', () => {
    expect(classifyInstrument({ method: 'upi', vpa: 'success@paygate' })).toEqual({ status: 'success' });
    expect(classifyInstrument({ method: 'upi', vpa: 'Failure@PayGate' })).toEqual({
      status: 'failed',
      errorCode: 'UPI_DECLINED',
      errorDescription: "The UPI payment was declined by the payer's bank or app.",
    });
  });

  it('resolves magic cards, ignoring spaces and dashes', () => {
    expect(classifyInstrument({ method: 'card', cardNumber: '4111 1111 1111 1111' })).toEqual({ status: 'success' });
    expect(classifyInstrument({ method: 'card', cardNumber: '4000-0000-0000-9995' })).toEqual({
      status: 'failed',
      errorCode: 'INSUFFICIENT_FUNDS',
      errorDescription: 'The card has insufficient funds to complete the payment.',
    });
  });

  it('returns null for ordinary instruments and for a value under the other method', () => {
    expect(classifyInstrument({ method: 'upi', vpa: 'user@paytm' })).toBeNull();
    expect(classifyInstrument({ method: 'card', cardNumber: '4242424242424242' })).toBeNull();
    expect(classifyInstrument({ method: 'card', cardNumber: 'success@paygate' })).toBeNull();
  });
});

describe('formatMagicValuesTable', () => {
  it('renders one Markdown row per magic value', () => {
    const table = formatMagicValuesTable();
    const lines = table.split('\n');
    expect(lines).toHaveLength(MAGIC_VALUES.length + 2);
    expect(lines[0]).toBe('| method | value | outcome | error code |');
    expect(table).toContain('| upi | `success@paygate` | UPI, succeeds | — |');
    expect(table).toContain('| card | `4000 0000 0000 0002` | Visa, declined | `CARD_DECLINED` |');
    expect(table).toContain('| card | `3782 822463 10005` | American Express, succeeds (4-digit CVV) | — |');
  });

  it("is the table in the package README (regenerate the README's copy when this fails)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(formatMagicValuesTable());
  });
});

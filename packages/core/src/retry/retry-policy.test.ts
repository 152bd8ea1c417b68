import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaygateError } from '../errors/paygate-error.js';
import { DEFAULT_MAX_RETRY_AFTER_MS, MAX_DELIVERY_ATTEMPTS, RETRY_SCHEDULES, type RetryDecision, nextAttempt, parseRetryAfter } from './retry-policy.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const MIN = 60_000;

/** Offsets from the first attempt (ms) at which every attempt happens when each one fails. */
function attemptOffsets(schedule?: readonly number[]): number[] {
  const offsets = [0];
  let now = T0;
  for (let made = 1; ; made++) {
    const decision = nextAttempt(made, now, schedule === undefined ? {} : { schedule });
    if (decision.kind === 'give_up') return offsets;
    now = decision.at;
    offsets.push(now.getTime() - T0.getTime());
  }
}

function retryOf(decision: RetryDecision): { at: Date; delayMs: number } {
  if (decision.kind !== 'retry') throw new Error('expected a retry');
  return decision;
}

describe('RETRY_SCHEDULES', () => {
  it('are the agreed gaps', () => {
    expect(RETRY_SCHEDULES.production).toEqual([MIN, 5 * MIN, 30 * MIN, 120 * MIN]);
    expect(RETRY_SCHEDULES.test).toEqual([5_000, 10_000, 15_000, 20_000]);
    expect(MAX_DELIVERY_ATTEMPTS).toBe(RETRY_SCHEDULES.production.length + 1);
  });
});

describe('nextAttempt', () => {
  it('production: attempts at 0, 1 min, 6 min, 36 min, 2 h 36 min, then give up', () => {
    expect(attemptOffsets()).toEqual([0, MIN, 6 * MIN, 36 * MIN, 156 * MIN]);
    expect(attemptOffsets()).toHaveLength(MAX_DELIVERY_ATTEMPTS);
  });

  it('test schedule: attempts at 0, 5, 15, 30, 50 s', () => {
    expect(attemptOffsets(RETRY_SCHEDULES.test)).toEqual([0, 5_000, 15_000, 30_000, 50_000]);
  });

  it('gives up after the fifth failure, and for any later count', () => {
    expect(nextAttempt(5, T0)).toEqual({ kind: 'give_up' });
    expect(nextAttempt(9, T0, { schedule: RETRY_SCHEDULES.test })).toEqual({ kind: 'give_up' });
    expect(nextAttempt(1, T0, { schedule: [] })).toEqual({ kind: 'give_up' });
  });

  it('returns the delay and the time', () => {
    expect(nextAttempt(2, T0)).toEqual({ kind: 'retry', delayMs: 5 * MIN, at: new Date('2026-01-01T00:05:00Z') });
  });

  it('jitter spreads the gap exactly over gap × (1 ± jitter)', () => {
    const gap = 5 * MIN;
    const at = (r: number) => retryOf(nextAttempt(2, T0, { jitter: 0.2, random: () => r })).delayMs;
    expect(at(0)).toBe(gap * 0.8);
    expect(at(0.5)).toBe(gap);
    expect(at(0.75)).toBe(gap * 1.1);
    expect(at(0.999_999)).toBe(Math.round(gap * (1 + 0.2 * (2 * 0.999_999 - 1))));
    expect(at(0.999_999)).toBeLessThanOrEqual(gap * 1.2);
    // jitter 0 never consults the random source
    expect(
      retryOf(
        nextAttempt(2, T0, {
          random: () => {
            throw new Error('not used');
          },
        }),
      ).delayMs,
    ).toBe(gap);
  });

  it('jitter bounds hold for every attempt and random value (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (made, jitter, r) => {
          const gap = RETRY_SCHEDULES.production[made - 1] ?? 0;
          const { delayMs, at } = retryOf(nextAttempt(made, T0, { jitter, random: () => r }));
          expect(delayMs).toBeGreaterThanOrEqual(Math.floor(gap * (1 - jitter)));
          expect(delayMs).toBeLessThanOrEqual(Math.ceil(gap * (1 + jitter)));
          expect(Number.isInteger(delayMs)).toBe(true);
          expect(at.getTime() - T0.getTime()).toBe(delayMs);
        },
      ),
    );
  });

  it('uses Math.random when jitter is on and no source is given', () => {
    const { delayMs } = retryOf(nextAttempt(1, T0, { jitter: 0.5 }));
    expect(delayMs).toBeGreaterThanOrEqual(30_000);
    expect(delayMs).toBeLessThanOrEqual(90_000);
  });

  it('Retry-After wins only when longer than the gap', () => {
    expect(retryOf(nextAttempt(1, T0, { retryAfterMs: 120_000 })).delayMs).toBe(120_000);
    expect(retryOf(nextAttempt(1, T0, { retryAfterMs: 10_000 })).delayMs).toBe(MIN);
    expect(retryOf(nextAttempt(1, T0, { retryAfterMs: Number.NaN })).delayMs).toBe(MIN);
  });

  it('Retry-After is clamped to maxRetryAfterMs (24 h by default)', () => {
    expect(DEFAULT_MAX_RETRY_AFTER_MS).toBe(86_400_000);
    expect(retryOf(nextAttempt(1, T0, { retryAfterMs: 7 * DEFAULT_MAX_RETRY_AFTER_MS })).delayMs).toBe(DEFAULT_MAX_RETRY_AFTER_MS);
    expect(retryOf(nextAttempt(1, T0, { retryAfterMs: 600_000, maxRetryAfterMs: 300_000 })).delayMs).toBe(300_000);
    // a ceiling below the gap leaves the gap
    expect(retryOf(nextAttempt(2, T0, { retryAfterMs: 600_000, maxRetryAfterMs: 1_000 })).delayMs).toBe(5 * MIN);
  });

  it('Retry-After does not extend the number of attempts', () => {
    expect(nextAttempt(5, T0, { retryAfterMs: 1_000 })).toEqual({ kind: 'give_up' });
  });

  it('refuses impossible arguments', () => {
    for (const made of [0, -1, 1.5, Number.NaN]) {
      expect(() => nextAttempt(made, T0)).toThrow(PaygateError);
    }
    expect(() => nextAttempt(1, T0, { jitter: 1.5 })).toThrow(/jitter must be a fraction from 0 to 1; got 1.5/);
    expect(() => nextAttempt(1, T0, { jitter: Number.NaN })).toThrow(/jitter/);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2015-10-21T07:20:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads the three HTTP-date forms', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(8 * MIN);
    expect(parseRetryAfter('Wednesday, 21-Oct-15 07:28:00 GMT', now)).toBe(8 * MIN);
    expect(parseRetryAfter('Wed Oct 21 07:28:00 2015', now)).toBe(8 * MIN);
    expect(parseRetryAfter('Sun Nov  6 08:49:37 2015', now)).toBe(Date.UTC(2015, 10, 6, 8, 49, 37) - now.getTime());
  });

  it('reads a two-digit year more than 50 years ahead as last century', () => {
    const soon = new Date('1994-11-06T08:49:00Z');
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', soon)).toBe(37_000);
  });

  it('a date in the past means now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent and malformed values', () => {
    for (const bad of [
      undefined,
      '',
      '-5',
      '1.5',
      'soon',
      '5.5',
      'Wed, 31 Feb 2015 07:28:00 GMT',
      'Wed, 21 Oct 2015 24:00:00 GMT',
      '2015-10-21T07:28:00Z',
      '12345678901',
    ]) {
      expect(parseRetryAfter(bad, now)).toBeUndefined();
    }
  });
});

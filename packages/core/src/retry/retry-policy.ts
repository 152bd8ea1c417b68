import { PaygateError } from '../errors/paygate-error.js';

/**
 * Gaps (ms) before the next webhook delivery attempt, indexed by the number of failed attempts
 * so far minus one. Production: 1 min, 5 min, 30 min, 2 h, so attempts fall at 0, 1 min,
 * 6 min, 36 min and 2 h 36 min. Test mode: 5, 10, 15, 20 s (the seed's
 * `WEBHOOK_RETRY_INTERVALS_TEST`).
 */
export const RETRY_SCHEDULES = {
  production: [60_000, 300_000, 1_800_000, 7_200_000],
  test: [5_000, 10_000, 15_000, 20_000],
} as const;

/** Attempts per delivery with the built-in schedules: the first plus one per gap. */
export const MAX_DELIVERY_ATTEMPTS = 5;

/** Default ceiling on a receiver's `Retry-After`: one day. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** What to do after a failed attempt: retry at a time, or give up (the delivery becomes `failed`). */
export type RetryDecision = { kind: 'retry'; at: Date; delayMs: number } | { kind: 'give_up' };

/** Options of {@link nextAttempt}. */
export type NextAttemptOptions = {
  /** Gaps in ms after each failure; its length + 1 is the number of attempts. Default: production. */
  schedule?: readonly number[];
  /** Random source in [0, 1) for jitter; inject it to make tests exact. Default `Math.random`. */
  random?: () => number;
  /** Jitter as a fraction of the gap, 0..1: the gap becomes gap × (1 ± jitter). Default 0. */
  jitter?: number;
  /** The receiver's `Retry-After` in ms (see {@link parseRetryAfter}); used when longer than the gap. */
  retryAfterMs?: number;
  /** Ceiling for `retryAfterMs`, so a receiver cannot park a delivery for weeks. Default 24 h. */
  maxRetryAfterMs?: number;
};

/**
 * Decide the next webhook delivery attempt after a failure. `attemptsMade` counts every attempt
 * so far, including the one that just failed (1 after the first failure). With a schedule of
 * n gaps there are n + 1 attempts; after the last one fails the answer is `give_up`.
 *
 * The delay is the schedule's gap, spread by ±`jitter` (uniform, from `random`), and replaced by
 * the receiver's `Retry-After` when that is longer (clamped to `maxRetryAfterMs`), as svix does.
 * Pure: the same inputs always give the same answer.
 */
export function nextAttempt(attemptsMade: number, now: Date, options: NextAttemptOptions = {}): RetryDecision {
  const schedule = options.schedule ?? RETRY_SCHEDULES.production;
  const jitter = options.jitter ?? 0;
  if (!Number.isSafeInteger(attemptsMade) || attemptsMade < 1) {
    throw new PaygateError(
      'SERVER_ERROR',
      `nextAttempt: attemptsMade must be a whole number ≥ 1 (attempts so far, including the one that just failed); got ${attemptsMade}`,
    );
  }
  if (!(jitter >= 0 && jitter <= 1)) {
    throw new PaygateError('SERVER_ERROR', `nextAttempt: jitter must be a fraction from 0 to 1; got ${jitter}`);
  }
  const gap = schedule[attemptsMade - 1];
  if (gap === undefined) return { kind: 'give_up' };

  let delayMs = gap;
  if (jitter > 0) {
    const random = options.random ?? Math.random;
    delayMs = Math.round(gap * (1 + jitter * (2 * random() - 1)));
  }
  const retryAfter = options.retryAfterMs;
  if (retryAfter !== undefined && Number.isFinite(retryAfter)) {
    const clamped = Math.min(retryAfter, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
    if (clamped > delayMs) delayMs = Math.round(clamped);
  }
  return { kind: 'retry', at: new Date(now.getTime() + delayMs), delayMs };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// The three HTTP-date forms a recipient must accept (RFC 9110 §5.6.7).
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/**
 * A `Retry-After` header as a delay in ms from `now`: either delay-seconds (`"120"`) or an
 * HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`; a date in the past gives 0). `undefined` when
 * the header is absent or malformed, so the schedule applies.
 */
export function parseRetryAfter(headerValue: string | undefined, now: Date): number | undefined {
  if (headerValue === undefined) return undefined;
  const value = headerValue.trim();
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1000;
  const at = parseHttpDate(value, now);
  return at === undefined ? undefined : Math.max(0, at - now.getTime());
}

function parseHttpDate(value: string, now: Date): number | undefined {
  let day: string, month: string, year: number, hh: string, mm: string, ss: string;
  let match = IMF_FIXDATE.exec(value);
  if (match !== null) {
    [, day = '', month = '', , hh = '', mm = '', ss = ''] = match;
    year = Number(match[3]);
  } else if ((match = RFC_850.exec(value)) !== null) {
    [, day = '', month = '', , hh = '', mm = '', ss = ''] = match;
    // RFC 9110: a two-digit year more than 50 years ahead means the previous century.
    year = 2000 + Number(match[3]);
    if (year > now.getUTCFullYear() + 50) year -= 100;
  } else if ((match = ASCTIME.exec(value)) !== null) {
    [, month = '', day = '', hh = '', mm = '', ss = ''] = match;
    year = Number(match[6]);
  } else {
    return undefined;
  }
  const monthIndex = MONTHS.indexOf(month);
  const ms = Date.UTC(year, monthIndex, Number(day), Number(hh), Number(mm), Number(ss));
  const check = new Date(ms);
  // Date.UTC rolls 31 Feb over to March; a date that does not round-trip is malformed.
  const roundTrips =
    check.getUTCDate() === Number(day) && check.getUTCHours() === Number(hh) && check.getUTCMinutes() === Number(mm) && check.getUTCSeconds() === Number(ss);
  return roundTrips ? ms : undefined;
}

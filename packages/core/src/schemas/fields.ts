import { z } from 'zod';
import { CURRENCY_CODES, DEFAULT_CURRENCY } from '../money/currencies.js';
import { MAX_AMOUNT } from '../money/money.js';
import { describeReceived, mustBe } from './messages.js';

/** Most keys a `notes` object may carry. */
export const MAX_NOTES_KEYS = 15;
/** Longest value (and key) in a `notes` object. */
export const MAX_NOTE_LENGTH = 256;

/**
 * A strict object: unknown keys are rejected with "field 'x' is not allowed" and the list of
 * fields that are, so a typo (`ammount`) is caught instead of silently ignored.
 */
export function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape, where?: string) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => `'${key}'`).join(', ');
        const verb = issue.keys.length === 1 ? `field ${keys} is` : `fields ${keys} are`;
        return `${verb} not allowed${where === undefined ? '' : ` in ${where}`}; allowed fields: ${allowed}`;
      }
      if (issue.input === undefined && where !== undefined) {
        return `${where} is required: an object with ${allowed}`;
      }
      return `${where ?? 'the request body'} must be a JSON object with ${allowed}; got ${describeReceived(issue.input)}`;
    },
  });
}

/** An amount in minor units: a safe integer from 1 to `MAX_AMOUNT`. */
export function amountField(field = 'amount') {
  const what = 'an integer in minor units (e.g. 50000 for ₹500.00)';
  return z
    .int({
      error: (issue) => {
        if (issue.code === 'too_small') return `${field} must be at least 1 (minor units, e.g. 50000 for ₹500.00); got ${describeReceived(issue.input)}`;
        if (issue.code === 'too_big') return `${field} must be at most ${MAX_AMOUNT} minor units; got ${describeReceived(issue.input)}`;
        return mustBe(field, what)(issue);
      },
    })
    .min(1)
    .max(MAX_AMOUNT);
}

/** An ISO 4217 currency code from `CURRENCIES`, upper case, defaulting to INR. */
export function currencyField(field = 'currency') {
  const supported = CURRENCY_CODES.join(', ');
  return z
    .enum(CURRENCY_CODES, {
      error: (issue) => {
        const input = issue.input;
        if (typeof input !== 'string') {
          return `${field} must be a 3-letter ISO 4217 code such as 'INR'; got ${describeReceived(input)}`;
        }
        const upper = input.toUpperCase();
        if (upper !== input && (CURRENCY_CODES as readonly string[]).includes(upper)) {
          return `${field} '${input}' must be upper case: use '${upper}'`;
        }
        return `${field} '${input}' is not supported; use one of ${supported}`;
      },
    })
    .default(DEFAULT_CURRENCY);
}

/** Free-form key/value notes: up to 15 string keys with string values of at most 256 characters. */
export function notesField(field = 'notes') {
  const what = `an object of at most ${MAX_NOTES_KEYS} string keys with string values (each at most ${MAX_NOTE_LENGTH} characters)`;
  return z
    .record(
      z.string(),
      z
        .string({ error: mustBe(`each value in ${field}`, `a string of at most ${MAX_NOTE_LENGTH} characters`) })
        .max(MAX_NOTE_LENGTH, { error: `each value in ${field} must be at most ${MAX_NOTE_LENGTH} characters` }),
      { error: mustBe(field, what) },
    )
    .superRefine((notes, ctx) => {
      const keys = Object.keys(notes);
      if (keys.length > MAX_NOTES_KEYS) {
        ctx.addIssue({ code: 'custom', message: `${field} may have at most ${MAX_NOTES_KEYS} keys; got ${keys.length}` });
      }
      // Checked here rather than on the key schema so the error's field is `notes`, not the
      // over-long key itself.
      if (keys.some((key) => key.length > MAX_NOTE_LENGTH)) {
        ctx.addIssue({ code: 'custom', message: `${field} keys must be at most ${MAX_NOTE_LENGTH} characters` });
      }
    });
}

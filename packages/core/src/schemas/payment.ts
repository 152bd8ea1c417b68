import { z } from 'zod';
import { describeBadId, idPattern, type OrderId } from '../ids/ids.js';
import { cvvLengthFor, detectCardNetwork, isCardExpired, luhnCheck, normalizeCardNumber } from '../instruments/card.js';
import { VPA_PATTERN } from '../instruments/vpa.js';
import { type ClockAwareSchema, withClockFactory } from './clock-aware.js';
import { strictObject } from './fields.js';
import { describeReceived, mustBe, mustBeSecret } from './messages.js';

/** Longest cardholder name accepted. */
export const MAX_CARD_NAME_LENGTH = 100;

// A string with a pattern (not z.custom) so the JSON schema of the body documents it.
const orderIdField = z
  .string({ error: (issue) => describeBadId('order', issue.input, 'order_id') })
  .regex(idPattern('order'), { error: (issue) => describeBadId('order', issue.input, 'order_id') })
  .transform((id) => id as OrderId);

const upiPaymentSchema = strictObject({
  order_id: orderIdField,
  method: z.literal('upi'),
  vpa: z.string({ error: mustBe('vpa', 'a UPI address like name@bank (e.g. user@paytm)') }).regex(VPA_PATTERN, {
    error: (issue) =>
      `vpa must be a UPI address like name@bank (e.g. user@paytm): 2–256 letters, digits, '.', '-' or '_', then '@' and 2–64 letters; got ${describeReceived(issue.input)}`,
  }),
});

// Card numbers and CVVs are never echoed back in messages: they must not end up in logs.
const cardNumberField = z
  .string({
    error: (issue) =>
      typeof issue.input === 'number'
        ? 'card.number must be a string of digits: as a JSON number it loses digits (send "4111111111111111")'
        : mustBeSecret('card.number', 'a string of 12 to 19 digits')(issue),
  })
  .transform(normalizeCardNumber)
  .refine((n) => /^\d{12,19}$/.test(n), {
    error: 'card.number must be 12 to 19 digits (spaces and dashes are ignored)',
    abort: true,
  })
  .refine(luhnCheck, {
    error: 'card.number is not a valid card number: its check digit (Luhn) does not match; for tests use 4111 1111 1111 1111',
  });

function numericField(field: string, what: string, accept: RegExp) {
  return z.union([z.number(), z.string()], { error: mustBe(field, what) }).transform((value, ctx) => {
    const text = typeof value === 'number' ? String(value) : value.trim();
    if (!accept.test(text)) {
      ctx.addIssue({ code: 'custom', message: `${field} must be ${what}; got ${describeReceived(value)}` });
      return z.NEVER;
    }
    return Number(text);
  });
}

const expiryMonthField = numericField('card.expiry_month', "a month from 1 to 12 (a number or a numeric string such as '07')", /^(0?[1-9]|1[0-2])$/);

// A 2-digit year means 20YY; the output is always the 4-digit year.
const expiryYearField = numericField('card.expiry_year', 'a 2- or 4-digit year (e.g. 27 or 2027, as a number or a string)', /^(\d{2}|\d{4})$/).transform(
  (year) => (year < 100 ? 2000 + year : year),
);

const cvvField = z
  .string({
    error: (issue) =>
      typeof issue.input === 'number'
        ? 'card.cvv must be a string of digits (as a JSON number it loses leading zeros, e.g. "012")'
        : mustBeSecret('card.cvv', 'a string of 3 digits (4 for American Express)')(issue),
  })
  .regex(/^\d{3,4}$/, { error: 'card.cvv must be 3 digits (4 for American Express)' });

function cardObject(now: () => Date) {
  return strictObject(
    {
      number: cardNumberField,
      expiry_month: expiryMonthField,
      expiry_year: expiryYearField,
      cvv: cvvField,
      name: z
        .string({ error: mustBe('card.name', `the cardholder's name, at most ${MAX_CARD_NAME_LENGTH} characters`) })
        .max(MAX_CARD_NAME_LENGTH, { error: `card.name must be at most ${MAX_CARD_NAME_LENGTH} characters` })
        .optional(),
    },
    'card',
  ).superRefine((card, ctx) => {
    const today = now();
    if (isCardExpired(card.expiry_month, card.expiry_year, today)) {
      const expiry = `${String(card.expiry_month).padStart(2, '0')}/${card.expiry_year}`;
      const path = card.expiry_year < today.getUTCFullYear() ? 'expiry_year' : 'expiry_month';
      ctx.addIssue({
        code: 'custom',
        path: [path],
        message: `card.${path}: the card expired at the end of ${expiry}; use a card that expires in the future`,
      });
    }
    const network = detectCardNetwork(card.number);
    const expected = cvvLengthFor(network);
    if (card.cvv.length !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['cvv'],
        message:
          network === 'amex'
            ? 'card.cvv must be 4 digits for an American Express card'
            : `card.cvv must be 3 digits for a ${network === 'unknown' ? 'card of this' : network} network (4 only for American Express)`,
      });
    }
  });
}

/** The zod type of {@link createPaymentSchema}. */
export type CreatePaymentSchema = ReturnType<typeof buildCreatePaymentSchema>;

function buildCreatePaymentSchema(now: () => Date) {
  return z.discriminatedUnion(
    'method',
    [
      upiPaymentSchema,
      strictObject({
        order_id: orderIdField,
        method: z.literal('card'),
        card: cardObject(now),
      }),
    ],
    {
      // The union's issue carries the whole body; look at `method` inside it.
      error: (issue) => {
        const body = issue.input;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          return `the request body must be a JSON object with order_id, method and vpa or card; got ${describeReceived(body)}`;
        }
        return mustBe('method', "'upi' or 'card'")({ input: (body as { method?: unknown }).method });
      },
    },
  );
}

/**
 * Build the `POST /payments` body schema with a given clock (the card's expiry is checked
 * against `now()`). Use it with the server's controllable test clock.
 */
export function makeCreatePaymentSchema(now: () => Date): ClockAwareSchema<CreatePaymentSchema> {
  const schema = buildCreatePaymentSchema(now);
  return withClockFactory(schema, makeCreatePaymentSchema);
}

/**
 * Body of `POST /payments`: `{ order_id, method: 'upi', vpa }` or
 * `{ order_id, method: 'card', card: { number, expiry_month, expiry_year, cvv, name? } }`.
 * Checks the VPA format, Luhn, expiry (real clock; `parseInput(…, now)` swaps it) and the CVV
 * length per network. The parsed card number has no spaces or dashes; expiry fields are numbers
 * and the year has 4 digits.
 */
export const createPaymentSchema = makeCreatePaymentSchema(() => new Date());

/** A parsed `POST /payments` body. */
export type CreatePaymentInput = z.infer<typeof createPaymentSchema>;
/** A parsed UPI payment body. */
export type CreateUpiPaymentInput = Extract<CreatePaymentInput, { method: 'upi' }>;
/** A parsed card payment body. */
export type CreateCardPaymentInput = Extract<CreatePaymentInput, { method: 'card' }>;

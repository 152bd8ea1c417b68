import { z } from 'zod';
import { amountField, currencyField, notesField, strictObject } from './fields.js';
import { mustBe } from './messages.js';

/** Longest `receipt` (the merchant's own reference) on an order. */
export const MAX_RECEIPT_LENGTH = 40;

/**
 * Body of `POST /orders`: `{ amount, currency = 'INR', receipt?, notes? }`, amount an integer in
 * minor units from 1 to `MAX_AMOUNT`. Unknown fields are rejected.
 */
export const createOrderSchema = strictObject({
  amount: amountField(),
  currency: currencyField(),
  receipt: z
    .string({ error: mustBe('receipt', `a string of at most ${MAX_RECEIPT_LENGTH} characters`) })
    .max(MAX_RECEIPT_LENGTH, { error: mustBe('receipt', `at most ${MAX_RECEIPT_LENGTH} characters`) })
    .optional(),
  notes: notesField().optional(),
});

/** A parsed `POST /orders` body (currency filled in). */
export type CreateOrderInput = z.infer<typeof createOrderSchema>;

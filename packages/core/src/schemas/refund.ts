import { z } from 'zod';
import { amountField, notesField, strictObject } from './fields.js';
import { mustBe } from './messages.js';

/** Longest refund `reason`. */
export const MAX_REFUND_REASON_LENGTH = 255;

/**
 * Body of `POST /payments/:id/refunds`: `{ amount?, reason?, notes? }`. Without `amount` the
 * refund is for everything still refundable (see `remainingRefundable`).
 */
export const createRefundSchema = strictObject({
  amount: amountField().optional(),
  reason: z
    .string({ error: mustBe('reason', `a string of at most ${MAX_REFUND_REASON_LENGTH} characters`) })
    .max(MAX_REFUND_REASON_LENGTH, { error: `reason must be at most ${MAX_REFUND_REASON_LENGTH} characters` })
    .optional(),
  notes: notesField().optional(),
});

/** A parsed refund body. */
export type CreateRefundInput = z.infer<typeof createRefundSchema>;

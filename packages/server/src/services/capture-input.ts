import { z } from 'zod';

/**
 * The body of a capture, the same on REST (`POST /api/v1/payments/:id/capture`) and tRPC
 * (`payments.capture`). `amount`, if given, must be the whole payment's (see capturePayment).
 */
export const captureInputSchema = z.strictObject({ amount: z.number({ error: 'amount must be an integer in minor units' }).int().positive().optional() });

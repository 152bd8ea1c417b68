import { z } from 'zod';
import { strictObject } from './fields.js';
import { mustBe } from './messages.js';

/**
 * Body of `POST /test/merchants` (test mode only): `{ name, email }`. The name is trimmed.
 */
export const createMerchantSchema = strictObject({
  name: z
    .string({ error: mustBe('name', 'a string of 1 to 100 characters') })
    .trim()
    .min(1, { error: 'name must not be empty' })
    .max(100, { error: 'name must be at most 100 characters' }),
  email: z.email({ error: mustBe('email', 'an email address like dev@example.com') }),
});

/** A parsed test-merchant body. */
export type CreateMerchantInput = z.infer<typeof createMerchantSchema>;

import { z } from 'zod';
import { strictObject } from './fields.js';
import { mustBe } from './messages.js';

/** Longest single clock advance: one year, in seconds. */
export const MAX_CLOCK_ADVANCE_SECONDS = 31_536_000;

/** Body of `POST /test/clock/advance` (test mode only): `{ seconds }`, 1 s to one year. */
export const clockAdvanceSchema = strictObject({
  seconds: z
    .int({ error: mustBe('seconds', `an integer from 1 to ${MAX_CLOCK_ADVANCE_SECONDS} (one year)`) })
    .min(1)
    .max(MAX_CLOCK_ADVANCE_SECONDS),
});

/** A parsed clock-advance body. */
export type ClockAdvanceInput = z.infer<typeof clockAdvanceSchema>;

import { z } from 'zod';
import { strictObject } from './fields.js';
import { describeReceived } from './messages.js';

/** Largest page size of a list endpoint. */
export const MAX_LIST_LIMIT = 100;
/** Page size when `limit` is absent. */
export const DEFAULT_LIST_LIMIT = 10;

/**
 * Query of list endpoints (`GET /orders?limit&offset&status`). Query strings arrive as strings,
 * so `limit` and `offset` are coerced to integers.
 */
export const listQuerySchema = strictObject(
  {
    limit: z.coerce
      .number({ error: (issue) => `limit must be an integer from 1 to ${MAX_LIST_LIMIT}; got ${describeReceived(issue.input)}` })
      .int()
      .min(1)
      .max(MAX_LIST_LIMIT)
      .default(DEFAULT_LIST_LIMIT),
    offset: z.coerce
      .number({ error: (issue) => `offset must be an integer of 0 or more; got ${describeReceived(issue.input)}` })
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .default(0),
    status: z
      .string({ error: 'status must be a single status name such as pending or failed' })
      .min(1, { error: 'status must not be empty; leave it out to list every status' })
      .max(40, { error: 'status must be at most 40 characters' })
      .optional(),
  },
  'the query string',
);

/** A parsed list query (`limit` and `offset` filled in). */
export type ListQueryInput = z.infer<typeof listQuerySchema>;

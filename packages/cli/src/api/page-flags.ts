import { Flags } from '@oclif/core';

/** `--limit` and `--offset` of every list command: one page of the API's `limit`/`offset` list. */
export const pageFlags = {
  limit: Flags.integer({ description: 'How many to show (1 to 100).', default: 10, min: 1, max: 100 }),
  offset: Flags.integer({ description: 'How many to skip.', default: 0, min: 0 }),
};

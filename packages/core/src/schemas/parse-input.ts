import type { z } from 'zod';
import { PaygateError, withoutClientErrorStacks } from '../errors/paygate-error.js';
import { withClock } from './clock-aware.js';
import { rejectNulBytes } from './nul-bytes.js';

/**
 * Parse `input` with `schema` or throw `BAD_REQUEST_ERROR`. The error's `field` is the dotted
 * path of the first problem (`card.number`; absent for the body as a whole) and its
 * description names that field and what was expected. `now` (a date or a clock function)
 * replaces the real clock in clock-aware schemas such as `createPaymentSchema`. A NUL character
 * (U+0000) in any string or key is refused first, whatever the schema: no database stores it.
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, now?: Date | (() => Date)): z.output<T> {
  rejectNulBytes(input);
  const clocked = now === undefined ? schema : withClock(schema, typeof now === 'function' ? now : () => now);
  const result = clocked.safeParse(input);
  if (result.success) return result.data;
  // zod makes its error (an Error, with a stack) when it is first read: it becomes the cause of a 400.
  const zodError = withoutClientErrorStacks(() => result.error);
  const issue = zodError.issues[0];
  /* v8 ignore next 3 -- zod never fails without an issue */
  if (issue === undefined) {
    throw new PaygateError('BAD_REQUEST_ERROR', 'The request is invalid.', { cause: zodError });
  }
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const field = path.join('.');
  const last = path[path.length - 1];
  // Our schemas write every message with the field's name; a zod default message
  // ("Invalid input") would not, so prefix the field to keep the description useful.
  const description = last === undefined || issue.message.includes(last) ? issue.message : `${field}: ${issue.message}`;
  throw new PaygateError('BAD_REQUEST_ERROR', description, field === '' ? { cause: zodError } : { field, cause: zodError });
}

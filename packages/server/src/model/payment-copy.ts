import type { PaymentRow } from './rows.js';
import { isoTimestamp } from '../lib/iso-timestamp.js';

/** The timestamp columns of a payment row: JSON carries them as ISO strings. */
const DATE_COLUMNS = ['process_after', 'enqueued_at', 'created_at', 'updated_at', 'processed_at'] as const satisfies ReadonlyArray<keyof PaymentRow>;

/**
 * A new payment's row as the text its job carries to the worker that settles it, which so need
 * not read it back (one statement fewer on every payment's path): the row's JSON, one line as
 * the queue wants a copy, and the very text the payment's insert writes (see PaymentToInsert).
 */
export function paymentCopy(row: PaymentRow): string {
  // Timestamps as text (see isoTimestamp: 5 µs a copy with Dates, 1.5 without). Only keys of the
  // row after the spread: V8 replaces those fast.
  return JSON.stringify({
    ...row,
    process_after: isoTimestamp(row.process_after),
    enqueued_at: isoTimestamp(row.enqueued_at),
    created_at: isoTimestamp(row.created_at),
    updated_at: isoTimestamp(row.updated_at),
    processed_at: isoTimestamp(row.processed_at),
  } satisfies Record<(typeof DATE_COLUMNS)[number], string | null> & Omit<PaymentRow, (typeof DATE_COLUMNS)[number]>);
}

/**
 * The row a job's copy holds, or undefined if the text is not a payment's copy of `id` (the worker
 * then reads the row). A copy is not the truth: the settlement checks it against the row.
 */
export function paymentFromCopy(id: string, text: string): PaymentRow | undefined {
  let row: Partial<Record<keyof PaymentRow, unknown>>;
  try {
    row = JSON.parse(text) as typeof row;
  } catch {
    return undefined;
  }
  if (row === null || typeof row !== 'object' || row.id !== id || typeof row.status !== 'string' || typeof row.event_sequence !== 'number') return undefined;
  for (const column of DATE_COLUMNS) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    const date = typeof value === 'string' ? new Date(value) : undefined;
    if (date === undefined || Number.isNaN(date.getTime())) return undefined;
    row[column] = date;
  }
  return row as PaymentRow;
}

import type { PaymentRow } from './rows.js';
import { jsonWriter } from '../lib/json-writer.js';

/** The timestamp columns of a payment row: JSON carries them as ISO strings. */
const DATE_COLUMNS = ['process_after', 'enqueued_at', 'created_at', 'updated_at', 'processed_at'] as const satisfies ReadonlyArray<keyof PaymentRow>;

/** Every column of a payment row with how its JSON writes it: the compiler checks that none is left out. */
const writePaymentRow = jsonWriter<PaymentRow>({
  id: 'string',
  merchant_id: 'string',
  order_id: 'string',
  amount: 'number',
  currency: 'string',
  method: 'string',
  vpa: 'string?',
  card_network: 'string?',
  card_last4: 'string?',
  status: 'string',
  error_code: 'string?',
  error_description: 'string?',
  captured: 'boolean',
  amount_refunded: 'number',
  decided_status: 'string',
  decided_error_code: 'string?',
  decided_error_description: 'string?',
  refunds_fail: 'boolean',
  process_after: 'date',
  enqueued_at: 'date?',
  event_sequence: 'number',
  created_at: 'date',
  updated_at: 'date',
  processed_at: 'date?',
  idempotency_ref: 'string?',
});

/**
 * A new payment's row as the text its job carries to the worker that settles it, which so need
 * not read it back (one statement fewer on every payment's path): `JSON.stringify(row)`, one line
 * as the queue wants a copy, and the very text the payment's insert writes (see PaymentToInsert).
 * Written by a compiled writer: `JSON.stringify` took 2.6–2.8 µs a row (docs/performance.md).
 */
export function paymentCopy(row: PaymentRow): string {
  return writePaymentRow(row);
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

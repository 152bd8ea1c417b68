import type { PaymentRow } from '../model/rows.js';

/**
 * The copies of payment rows that this worker's jobs carried (see model/payment-copy.ts), kept
 * from the job's arrival until its payments' settlement takes them, which so need not read them.
 * Each is handed out once: a settlement retried (one payment at a time after a batch failed)
 * reads the database. Bounded: past `capacity` the oldest goes first, and its settlement reads it.
 */
export class PaymentCopies {
  private readonly rows = new Map<string, PaymentRow>();

  constructor(private readonly capacity: number) {}

  remember(row: PaymentRow): void {
    this.rows.delete(row.id);
    this.rows.set(row.id, row);
    if (this.rows.size > this.capacity) this.rows.delete(this.rows.keys().next().value!);
  }

  /** Those of `ids` remembered, by id, forgotten from here on. */
  take(ids: readonly string[]): Map<string, PaymentRow> {
    const taken = new Map<string, PaymentRow>();
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row === undefined) continue;
      this.rows.delete(id);
      taken.set(id, row);
    }
    return taken;
  }
}

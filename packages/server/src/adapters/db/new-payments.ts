import type { PaymentRow } from '../../model/rows.js';

/**
 * The payments a process inserted that none of its workers has taken yet, in memory, so that
 * settling one in the same process skips reading it back (`pg-cli dev`: one statement fewer on a
 * payment's path, where each costs a hop to the embedded database's thread). Each is handed out
 * once: a second job for the same payment, or a settlement retried, reads the database. Bounded:
 * past `capacity` the oldest goes first, and its worker reads it.
 */
export class NewPayments {
  private readonly rows = new Map<string, PaymentRow>();

  constructor(private readonly capacity: number) {}

  remember(row: PaymentRow): void {
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

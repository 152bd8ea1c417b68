import type { OrderRow } from '../../model/rows.js';
import type { OrderKey } from '../../ports/payment-store.js';

/**
 * The orders a process created or read lately, in memory, so that a payment for one of them skips
 * reading it again. Only what never changes about an order is trusted from here (its id, merchant,
 * amount and currency); its status may have moved since, which the payment's insert checks anyway.
 * Bounded: past `capacity` the oldest remembered goes first.
 */
export class RecentOrders {
  private readonly rows = new Map<string, OrderRow>();

  constructor(private readonly capacity: number) {}

  remember(row: OrderRow): void {
    this.rows.delete(row.id); // re-inserted: now the newest
    this.rows.set(row.id, row);
    if (this.rows.size > this.capacity) this.rows.delete(this.rows.keys().next().value!);
  }

  /** The order, if remembered and the merchant's (another merchant's order is not found). */
  get(key: OrderKey): OrderRow | undefined {
    const row = this.rows.get(key.id);
    return row?.merchant_id === key.merchantId ? row : undefined;
  }
}

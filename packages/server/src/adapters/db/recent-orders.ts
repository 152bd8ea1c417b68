import type { OrderRow } from '../../model/rows.js';
import type { OrderKey } from '../../ports/payment-store.js';

/**
 * The orders a process created or read lately, in memory, so that a payment for one of them skips
 * reading it again. Only what never changes about an order is trusted from here (its id, merchant,
 * amount and currency); its status may have moved since, which the payment's insert checks anyway.
 *
 * Bounded by two generations of half the capacity each: what is remembered goes into the current
 * one; when it fills, it becomes the previous one and the previous one is dropped whole. So the
 * orders remembered longest ago go first, half the capacity at a time, and each call is O(1). (A
 * single Map evicting its first key was not: V8 leaves deleted entries in place until it rehashes,
 * and `keys().next()` walked over thousands of them on every new order, 6 µs each, a tenth of the
 * API's CPU per order.)
 */
export class RecentOrders {
  private current = new Map<string, OrderRow>();
  private previous = new Map<string, OrderRow>();
  private readonly generationSize: number;

  constructor(capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  remember(row: OrderRow): void {
    this.current.set(row.id, row); // remembered again: now in the newest generation
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
  }

  /** The order, if remembered and the merchant's (another merchant's order is not found). */
  get(key: OrderKey): OrderRow | undefined {
    const row = this.current.get(key.id) ?? this.previous.get(key.id);
    return row?.merchant_id === key.merchantId ? row : undefined;
  }
}

import type { OrderKey, OrderTerms } from '../../ports/payment-store.js';

/** An order's terms under its merchant: a lookup must name both. */
type Remembered = OrderTerms & { merchantId: string };

/**
 * The orders a process created or read lately, in memory, so that a payment for one of them skips
 * reading it again. Only what never changes about an order is kept (its id, merchant, amount and
 * currency), not the row: its status may have moved since, which the payment's insert checks
 * anyway; and every order the API creates is remembered, so whatever is kept of it outlives V8's
 * young generation and is copied there before it is promoted (with the whole row and its two
 * dates kept, the API's young-generation collections took 3.4–3.7 ms of pause a thousand orders
 * under POST /orders; with its terms, 2.7–3.0: `--trace-gc`, forty-first sitting).
 *
 * Bounded by two generations of half the capacity each: what is remembered goes into the current
 * one; when it fills, it becomes the previous one and the previous one is dropped whole. So the
 * orders remembered longest ago go first, half the capacity at a time, and each call is O(1). (A
 * single Map evicting its first key was not: V8 leaves deleted entries in place until it rehashes,
 * and `keys().next()` walked over thousands of them on every new order, 6 µs each, a tenth of the
 * API's CPU per order.)
 */
export class RecentOrders {
  private current = new Map<string, Remembered>();
  private previous = new Map<string, Remembered>();
  private readonly generationSize: number;

  constructor(capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  remember(order: { id: string; merchant_id: string; amount: number | string; currency: string }): void {
    // remembered again: now in the newest generation
    this.current.set(order.id, { id: order.id, merchantId: order.merchant_id, amount: Number(order.amount), currency: order.currency });
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
  }

  /** The order's terms, if remembered and the merchant's (another merchant's order is not found). */
  get(key: OrderKey): OrderTerms | undefined {
    const found = this.current.get(key.id) ?? this.previous.get(key.id);
    return found?.merchantId === key.merchantId ? { id: found.id, amount: found.amount, currency: found.currency } : undefined;
  }
}

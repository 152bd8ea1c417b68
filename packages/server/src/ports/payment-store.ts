import type { CreatedDelivery, EventRow, OrderRow, PaymentRow } from '../model/rows.js';

/** An order as a payment names it: scoped to its merchant. */
export type OrderKey = { merchantId: string; id: string };

/** What a payment takes from its order: what never changes about an order. */
export type OrderTerms = { id: string; amount: number; currency: string };

/** The order statuses that may take a payment, and the status the payment moves its order to. */
export type OrderMove = { from: readonly string[]; to: string };

/**
 * A new payment with its first events, inserted only while its order may still take it.
 * `rowJson`, when given, is `JSON.stringify(row)` made already (its job's copy is that text):
 * the store writes it as it is instead of serializing the row again. `leaseUntil`, when given:
 * its webhook deliveries are created leased to the caller until then (real time), to send itself.
 */
export type PaymentToInsert = { row: PaymentRow; rowJson?: string; events: readonly EventRow[]; orderMove: OrderMove; leaseUntil?: Date };

/**
 * Whether the payment went in (false: its order moved on meanwhile), and its webhook deliveries:
 * their ids, to queue; or, when they were created leased (`leaseUntil`), `leased`, to send.
 */
export type InsertedPayment = { inserted: boolean; deliveryIds: string[]; leased?: CreatedDelivery[] };

/**
 * The reads and writes on the path of every new payment, one payment per call. The adapter may
 * serve the calls in flight together with one statement (group commit); each call still gets its
 * own answer, or its own error.
 */
export interface PaymentStore {
  /**
   * Inserts a new order and returns it as stored. A unique violation (an idempotency reference
   * already used) fails this call alone, with the database's error.
   */
  insertOrder(row: OrderRow): Promise<OrderRow>;
  /** The merchant's order, or undefined (another merchant's order is not found either). */
  findOrder(key: OrderKey): Promise<OrderRow | undefined>;
  /**
   * The terms of the merchant's order if this store inserted or read it lately, from memory, or
   * undefined: they are the order's for good, but whether it may still be paid is not known here.
   */
  recentOrder(key: OrderKey): OrderTerms | undefined;
  /**
   * Atomically: inserts the payment if its order is in `orderMove.from`, moves the order to
   * `orderMove.to`, and records the events with their webhook deliveries.
   */
  insertPayment(payment: PaymentToInsert): Promise<InsertedPayment>;
}

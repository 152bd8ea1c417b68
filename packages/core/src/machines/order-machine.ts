import { defineMachine, type Machine } from './machine.js';

/** An order's status: `created` → `attempted` (a payment was tried) → `paid`. */
export type OrderStatus = 'created' | 'attempted' | 'paid';
/** What can happen to an order: a payment attempt starts, or a payment succeeds. */
export type OrderEvent = 'attempt' | 'pay';

/**
 * The order lifecycle. A failed payment leaves the order `attempted` so the shopper can try
 * again; `paid` is terminal.
 */
export const ORDER_MACHINE: Machine<OrderStatus, OrderEvent> = /* @__PURE__ */ defineMachine<OrderStatus, OrderEvent>('order', {
  created: { attempt: 'attempted', pay: 'paid' },
  attempted: { attempt: 'attempted', pay: 'paid' },
  paid: {},
});

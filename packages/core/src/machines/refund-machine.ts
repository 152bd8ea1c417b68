import { defineMachine, type Machine } from './machine.js';

/** A refund's status: `pending` until processed, then `processed` or `failed`. */
export type RefundStatus = 'pending' | 'processed' | 'failed';
/** The outcome of processing a pending refund. */
export type RefundEvent = 'process' | 'fail';

/** The refund lifecycle: `pending` → `processed` | `failed`, both terminal. */
export const REFUND_MACHINE: Machine<RefundStatus, RefundEvent> = /* @__PURE__ */ defineMachine<RefundStatus, RefundEvent>('refund', {
  pending: { process: 'processed', fail: 'failed' },
  processed: {},
  failed: {},
});

import { defineMachine, type Machine } from './machine.js';

/** A payment's status: `pending` until the processor decides, then `success` or `failed`. */
export type PaymentStatus = 'pending' | 'success' | 'failed';
/** The processor's verdict on a pending payment. */
export type PaymentEvent = 'succeed' | 'fail';

/** The payment lifecycle: `pending` → `success` | `failed`, both terminal. */
export const PAYMENT_MACHINE: Machine<PaymentStatus, PaymentEvent> = /* @__PURE__ */ defineMachine<PaymentStatus, PaymentEvent>('payment', {
  pending: { succeed: 'success', fail: 'failed' },
  success: {},
  failed: {},
});

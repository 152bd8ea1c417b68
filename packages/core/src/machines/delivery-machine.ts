import { defineMachine, type Machine } from './machine.js';

/** A webhook delivery's status: `pending` while attempts remain, then `success` or `failed`. */
export type DeliveryStatus = 'pending' | 'success' | 'failed';
/**
 * What happens to a delivery: an attempt got a 2xx (`deliver`), failed with retries left
 * (`schedule_retry`), failed for the last time (`give_up`), the endpoint answered 410
 * (`disable`), or someone retried or replayed it by hand (`retry_manually`).
 */
export type DeliveryEvent = 'deliver' | 'schedule_retry' | 'give_up' | 'disable' | 'retry_manually';

/**
 * The webhook delivery lifecycle. No state is terminal: a `failed` delivery can be retried by
 * hand and a `success` one replayed, both back to `pending`.
 */
export const DELIVERY_MACHINE: Machine<DeliveryStatus, DeliveryEvent> = /* @__PURE__ */ defineMachine<DeliveryStatus, DeliveryEvent>('webhook delivery', {
  pending: { deliver: 'success', schedule_retry: 'pending', give_up: 'failed', disable: 'failed' },
  success: { retry_manually: 'pending' },
  failed: { retry_manually: 'pending' },
});

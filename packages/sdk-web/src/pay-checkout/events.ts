/** `pay-success`: the payment succeeded. */
export type PaySuccessDetail = { paymentId: string; orderId: string; status: 'success' };
/** `pay-failure`: the payment failed; `error` is the bank's reason, for people. */
export type PayFailureDetail = { error: string; paymentId: string | null };

export type PaySuccessEvent = CustomEvent<PaySuccessDetail>;
export type PayFailureEvent = CustomEvent<PayFailureDetail>;
/** `pay-close`: the shopper dismissed the checkout (a `dismissible` element's Close button or Escape). */
export type PayCloseEvent = CustomEvent<Record<string, never>>;

declare global {
  interface GlobalEventHandlersEventMap {
    'pay-success': PaySuccessEvent;
    'pay-failure': PayFailureEvent;
    'pay-close': PayCloseEvent;
  }
}

/** An event that crosses shadow roots and bubbles to the page, as the design asks. */
export function checkoutEvent<K extends 'pay-success' | 'pay-failure' | 'pay-close'>(
  type: K,
  detail: GlobalEventHandlersEventMap[K]['detail'],
): GlobalEventHandlersEventMap[K] {
  return new CustomEvent(type, { detail, bubbles: true, composed: true }) as GlobalEventHandlersEventMap[K];
}

import type { PaygateWebhookEvent, WebhookPayment } from '@paygate/webhook-verify';

/**
 * The merchant's view of payments, kept from webhooks. Webhooks can arrive out of order, so a
 * payment snapshot only replaces an older one (by its per-payment `sequence`).
 */
export class PaymentBook {
  readonly #payments = new Map<string, WebhookPayment>();

  /** Applies a snapshot; false when it is older than what is already known. */
  apply(payment: WebhookPayment): boolean {
    const known = this.#payments.get(payment.id);
    if (known !== undefined && known.sequence >= payment.sequence) return false;
    this.#payments.set(payment.id, payment);
    return true;
  }

  get(paymentId: string): WebhookPayment | undefined {
    return this.#payments.get(paymentId);
  }
}

/** The example's business logic: record payments, log refunds, ignore events it does not know. */
export function createEventProcessor(book: PaymentBook, log: (line: string) => void = console.log) {
  return (event: PaygateWebhookEvent): void => {
    switch (event.event) {
      case 'payment.created':
      case 'payment.pending':
      case 'payment.success':
      case 'payment.failed': {
        const { payment } = event.data;
        const applied = book.apply(payment);
        log(`${event.event} ${payment.id} order ${payment.order_id} ${payment.amount} ${payment.currency}${applied ? '' : ' (stale, ignored)'}`);
        break;
      }
      case 'refund.created':
      case 'refund.processed':
      case 'refund.failed':
        log(`${event.event} ${event.data.refund.id} for ${event.data.refund.payment_id} ${event.data.refund.amount}`);
        break;
      default:
        // Newer Paygate versions may add events: acknowledge them (2xx) and move on.
        log(`ignored ${(event as { event: string }).event}`);
    }
  };
}

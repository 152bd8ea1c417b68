import type { PaygateWebhookEvent, WebhookPayment } from '@paygate/webhook-verify';

/**
 * The merchant's view of payments, kept from webhooks. Webhooks can arrive out of order, so a
 * payment snapshot only replaces an older one: every event carries its payment's `sequence`.
 */
export class PaymentBook {
  readonly #payments = new Map<string, { payment: WebhookPayment; sequence: number }>();

  /** Applies the snapshot from an event with `sequence`; false when it is older than what is known. */
  apply(payment: WebhookPayment, sequence: number): boolean {
    const known = this.#payments.get(payment.id);
    if (known !== undefined && known.sequence >= sequence) return false;
    this.#payments.set(payment.id, { payment, sequence });
    return true;
  }

  get(paymentId: string): WebhookPayment | undefined {
    return this.#payments.get(paymentId)?.payment;
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
        const applied = book.apply(payment, event.sequence);
        log(`${event.event} ${payment.id} order ${payment.order_id} ${payment.amount} ${payment.currency}${applied ? '' : ' (stale, ignored)'}`);
        break;
      }
      case 'refund.created':
      case 'refund.processed':
      case 'refund.failed':
        log(`${event.event} ${event.data.refund.id} for ${event.data.refund.payment_id} ${event.data.refund.amount}`);
        break;
      case 'webhook.test':
        log(`webhook.test received: ${event.data.message}`);
        break;
      default:
        // Newer Paygate versions may add events: acknowledge them (2xx) and move on.
        log(`ignored ${(event as { event: string }).event}`);
    }
  };
}

import type { ListOf, Payment, Refund } from '@paygate/client/rest';
import { formatAmount, formatKeyValues, formatPageFooter, formatTable } from '../format.js';

const instrumentOf = (p: Payment) =>
  p.method === 'upi' ? `UPI ${p.vpa ?? ''}`.trim() : `card ${p.card_network ?? ''} •••• ${p.card_last4 ?? ''}`.replace(/\s+/g, ' ');

export const paymentBlock = (payment: Payment) =>
  formatKeyValues([
    ['Payment', payment.id],
    ['Status', payment.status],
    ['Order', payment.order_id],
    ['Amount', formatAmount(payment.amount, payment.currency)],
    ['Method', instrumentOf(payment)],
    ['Error', payment.error_code ? `${payment.error_code}: ${payment.error_description ?? ''}` : undefined],
    ['Captured', payment.captured ? 'yes' : 'no'],
    ['Refunded', payment.amount_refunded > 0 ? formatAmount(payment.amount_refunded, payment.currency) : undefined],
    ['Refundable', payment.status === 'success' ? formatAmount(payment.refundable_amount, payment.currency) : undefined],
    ['Created', payment.created_at],
  ]);

export const paymentTable = (page: ListOf<Payment>) =>
  [
    formatTable(
      page.data,
      [
        ['id', (p) => p.id],
        ['status', (p) => p.status],
        ['amount', (p) => formatAmount(p.amount, p.currency)],
        ['method', instrumentOf],
        ['order', (p) => p.order_id],
        ['created', (p) => p.created_at],
      ],
      'No payments.',
    ),
    formatPageFooter(page),
  ]
    .filter(Boolean)
    .join('\n');

export const refundBlock = (refund: Refund) =>
  formatKeyValues([
    ['Refund', refund.id],
    ['Status', refund.status],
    ['Payment', refund.payment_id],
    ['Amount', formatAmount(refund.amount, refund.currency)],
    ['Reason', refund.reason],
    ['Created', refund.created_at],
    ['Processed', refund.processed_at ?? undefined],
  ]);

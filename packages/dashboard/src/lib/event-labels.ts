import type { GatewayEvent } from './api.js';
import { formatMoney } from './format.js';

/** What an event is about, in a few words: "pay_… ₹500.00 upi". */
export function describeEvent(event: GatewayEvent): string {
  const data = event.data as { payment?: Record<string, unknown>; refund?: Record<string, unknown> };
  const subject = data.refund ?? data.payment;
  if (!subject) return event.event === 'webhook.test' ? 'Test webhook' : '';
  const amount = typeof subject['amount'] === 'number' && typeof subject['currency'] === 'string' ? formatMoney(subject['amount'], subject['currency']) : '';
  return [subject['id'], amount].filter(Boolean).join(' · ');
}

/** The payment an event belongs to, for a link. */
export function paymentIdOf(event: GatewayEvent): string | undefined {
  const data = event.data as { payment?: { id?: unknown }; refund?: { payment_id?: unknown } };
  const id = data.payment?.id ?? data.refund?.payment_id;
  return typeof id === 'string' ? id : undefined;
}

export function statusClass(status: string): string {
  if (status === 'success' || status === 'processed' || status === 'paid') return 'badge ok';
  if (status === 'failed') return 'badge bad';
  return 'badge wait';
}

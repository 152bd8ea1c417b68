import { PaygateError } from '@paygate/core/domain';
import type { EventWatch, WatchedEvent } from './event-watch.js';

/** The events `pg-cli trigger` can set off, each by a fixture flow through the API. */
export const TRIGGER_EVENTS = ['payment.success', 'payment.failed', 'refund.processed', 'refund.failed', 'webhook.test'] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export const isTriggerEvent = (name: string): name is TriggerEvent => (TRIGGER_EVENTS as readonly string[]).includes(name);

/** Default amount of a fixture order: ₹500.00 (minor units), the seed's example. */
export const DEFAULT_TRIGGER_AMOUNT = 50_000;

type ApiObject = { id: string; status?: string } & Record<string, unknown>;

/** The part of the API client a trigger uses (`@paygate/client`'s `PaygateRestClient` has it). */
export interface TriggerApi {
  orders: {
    create(input: { amount: number; currency: string; receipt?: string }): Promise<ApiObject>;
    get(id: string): Promise<ApiObject>;
  };
  payments: {
    create(input: Record<string, unknown>): Promise<ApiObject>;
    get(id: string): Promise<ApiObject>;
  };
  refunds: {
    create(paymentId: string, input: { amount?: number; reason?: string }): Promise<ApiObject>;
    get(id: string): Promise<ApiObject>;
  };
  webhooks: { test(): Promise<{ event_id: string; delivery_id: string } & Record<string, unknown>> };
}

/** What a trigger made, and the id of the event it set off. */
export type TriggerResult = {
  event: TriggerEvent;
  event_id: string;
  order?: ApiObject;
  payment?: ApiObject;
  refund?: ApiObject;
  delivery_id?: string;
};

/** The instrument whose outcome the event needs (DESIGN.md "Test mode" magic values). */
const PAYMENT_FOR: Record<Exclude<TriggerEvent, 'webhook.test'>, Record<string, unknown>> = {
  'payment.success': { method: 'upi', vpa: 'success@paygate' },
  'payment.failed': { method: 'upi', vpa: 'failure@paygate' },
  'refund.processed': { method: 'upi', vpa: 'success@paygate' },
  // Succeeds, and every refund of it fails.
  'refund.failed': {
    method: 'card',
    card: { number: '4000 0000 0000 5126', expiry_month: 12, expiry_year: new Date().getUTCFullYear() + 5, cvv: '123', name: 'Paygate Trigger' },
  },
};

const ofPayment = (paymentId: string, name: string) => (e: WatchedEvent) =>
  e.event === name && (e.data?.['payment'] as { id?: string } | undefined)?.id === paymentId;
const ofRefund = (refundId: string, name: string) => (e: WatchedEvent) =>
  e.event === name && (e.data?.['refund'] as { id?: string } | undefined)?.id === refundId;

/**
 * Runs the fixture flow of `event` through the API: an order, a payment with the magic value
 * that gives the outcome, a wait for that outcome on the event stream, and a refund where the
 * event is a refund's. Answers the objects as they ended and the event's id.
 */
export async function runTrigger(
  api: TriggerApi,
  watch: EventWatch,
  event: TriggerEvent,
  options: { amount?: number; timeoutMs?: number } = {},
): Promise<TriggerResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (event === 'webhook.test') {
    const sent = await api.webhooks.test();
    return { event, event_id: sent.event_id, delivery_id: sent.delivery_id };
  }
  const amount = options.amount ?? DEFAULT_TRIGGER_AMOUNT;
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new PaygateError('BAD_REQUEST_ERROR', `--amount must be a whole number of minor units above 0 (50000 is ₹500.00); got ${amount}`, {
      field: 'amount',
    });
  }
  const order = await api.orders.create({ amount, currency: 'INR', receipt: `pg-cli trigger ${event}` });
  const created = await api.payments.create({ order_id: order.id, ...PAYMENT_FOR[event] });
  const outcome = event === 'payment.failed' ? 'payment.failed' : 'payment.success';
  const paid = await watch.next(ofPayment(created.id, outcome), `${outcome} of ${created.id}`, timeoutMs);
  const payment = await api.payments.get(created.id);
  if (event === 'payment.success' || event === 'payment.failed') return { event, event_id: paid.id, order: await api.orders.get(order.id), payment };

  const pending = await api.refunds.create(payment.id, { reason: `pg-cli trigger ${event}` });
  const settled = await watch.next(ofRefund(pending.id, event), `${event} of ${pending.id}`, timeoutMs);
  const refund = await api.refunds.get(pending.id);
  return { event, event_id: settled.id, order: await api.orders.get(order.id), payment: await api.payments.get(payment.id), refund };
}

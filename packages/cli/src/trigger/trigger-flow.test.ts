import { describe, expect, it } from 'vitest';
import { EventWatch, type OpenStream, type WatchedEvent } from './event-watch.js';
import { runTrigger, TRIGGER_EVENTS, type TriggerApi } from './trigger-flow.js';

/**
 * A gateway in miniature: objects made through the API settle by the magic value, and their
 * events go out on a stream that opens at once.
 */
function fakeGateway() {
  const listeners = new Set<(e: WatchedEvent) => void>();
  let n = 0;
  const id = (prefix: string) => `${prefix}_${String((n += 1)).padStart(16, '0')}`;
  const objects = new Map<string, Record<string, unknown> & { id: string }>();
  const emit = (event: string, data: Record<string, unknown>) => setTimeout(() => listeners.forEach((l) => l({ id: id('evt'), event, data })), 5);
  const calls: string[] = [];
  const api: TriggerApi = {
    orders: {
      async create(input) {
        calls.push(`order ${input.amount}`);
        const order = { id: id('order'), ...input, status: 'created' };
        objects.set(order.id, order);
        return { ...order };
      },
      async get(orderId) {
        return objects.get(orderId)!;
      },
    },
    payments: {
      async create(input) {
        const fails = input['vpa'] === 'failure@paygate';
        const refundsFail = (input['card'] as { number?: string } | undefined)?.number === '4000 0000 0000 5126';
        calls.push(`payment ${String(input['vpa'] ?? (input['card'] as { number: string }).number)}`);
        const payment = { id: id('pay'), order_id: input['order_id'], status: 'pending', refundsFail };
        objects.set(payment.id, payment);
        payment.status = fails ? 'failed' : 'success';
        if (!fails) objects.get(String(input['order_id']))!['status'] = 'paid';
        emit(fails ? 'payment.failed' : 'payment.success', { payment: { id: payment.id } });
        return { ...payment, status: 'pending' };
      },
      async get(paymentId) {
        return objects.get(paymentId)!;
      },
    },
    refunds: {
      async create(paymentId) {
        calls.push(`refund ${paymentId}`);
        const fails = objects.get(paymentId)!['refundsFail'] === true;
        const refund = { id: id('rfnd'), payment_id: paymentId, status: fails ? 'failed' : 'processed' };
        objects.set(refund.id, refund);
        emit(fails ? 'refund.failed' : 'refund.processed', { refund: { id: refund.id } });
        return { ...refund, status: 'pending' };
      },
      async get(refundId) {
        return objects.get(refundId)!;
      },
    },
    webhooks: {
      async test() {
        calls.push('webhooks test');
        return { event_id: 'evt_TestTestTestTest', delivery_id: 'whd_1' };
      },
    },
  };
  const openStream: OpenStream = async function* ({ signal, onOpen }) {
    const queue: WatchedEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (e: WatchedEvent) => (queue.push(e), wake?.());
    listeners.add(listener);
    onOpen();
    try {
      while (!signal.aborted) {
        const e = queue.shift();
        if (e) yield e;
        else await new Promise<void>((resolve) => ((wake = resolve), signal.addEventListener('abort', () => resolve(), { once: true })));
      }
    } finally {
      listeners.delete(listener);
    }
  };
  return { api, openStream, calls };
}

describe('runTrigger', () => {
  it.each(TRIGGER_EVENTS.filter((e) => e !== 'webhook.test'))('%s: runs its fixture flow and answers the objects and the event id', async (event) => {
    const gw = fakeGateway();
    const watch = await EventWatch.open(gw.openStream);
    try {
      const result = await runTrigger(gw.api, watch, event, { amount: 1234 });
      expect(result.event).toBe(event);
      expect(result.event_id).toMatch(/^evt_/);
      expect(result.order).toMatchObject({ amount: 1234, currency: 'INR', status: event === 'payment.failed' ? 'created' : 'paid' });
      expect(result.payment!.status).toBe(event === 'payment.failed' ? 'failed' : 'success');
      if (event.startsWith('refund.')) expect(result.refund!.status).toBe(event === 'refund.failed' ? 'failed' : 'processed');
      else expect(result.refund).toBeUndefined();
      expect(gw.calls[1]).toBe(
        `payment ${{ 'payment.success': 'success@paygate', 'payment.failed': 'failure@paygate', 'refund.processed': 'success@paygate', 'refund.failed': '4000 0000 0000 5126' }[event]}`,
      );
    } finally {
      watch.close();
    }
  });

  it('webhook.test sends the test webhook and answers its event id', async () => {
    const gw = fakeGateway();
    const watch = await EventWatch.open(gw.openStream);
    expect(await runTrigger(gw.api, watch, 'webhook.test')).toEqual({ event: 'webhook.test', event_id: 'evt_TestTestTestTest', delivery_id: 'whd_1' });
    expect(gw.calls).toEqual(['webhooks test']);
    watch.close();
  });

  it('refuses an amount that is not whole minor units', async () => {
    const gw = fakeGateway();
    const watch = await EventWatch.open(gw.openStream);
    await expect(runTrigger(gw.api, watch, 'payment.success', { amount: 10.5 })).rejects.toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'amount' });
    expect(gw.calls).toEqual([]);
    watch.close();
  });
});

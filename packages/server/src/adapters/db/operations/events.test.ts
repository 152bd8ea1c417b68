import { describe, expect, it } from 'vitest';
import { eventsWithDeliveriesBindings, type EventToRecord } from './events.js';

describe('eventsWithDeliveriesBindings', () => {
  const at = new Date('2026-12-06T22:50:01.042Z');
  const data = { payment: { id: 'pay_1', amount: 50000, error_description: 'said "no" \\ twice' } };
  const events: EventToRecord[] = [
    { id: 'evt_1', merchant_id: 'mer_1', type: 'payment.created', payment_id: 'pay_1', sequence: 1, data, dataText: JSON.stringify(data), created_at: at },
    { id: 'evt_2', merchant_id: 'mer_1', type: 'webhook.test', payment_id: null, sequence: 0, data: { test: true }, created_at: at },
  ];

  it('gives the events as the JSON of their columns, data last, whether its text was made already or not', () => {
    const [payload, realNow] = eventsWithDeliveriesBindings(events, at);
    const columns = events.map(({ id, merchant_id, type, payment_id, sequence, created_at, data: eventData }) => ({
      id,
      merchant_id,
      type,
      payment_id,
      sequence,
      created_at,
      data: eventData,
    }));
    expect(payload).toBe(JSON.stringify(columns));
    expect(realNow).toBe(at);
  });

  it('adds the lease when there is one', () => {
    const until = new Date(at.getTime() + 30_000);
    expect(eventsWithDeliveriesBindings(events, at, until)).toHaveLength(3);
    expect(eventsWithDeliveriesBindings(events, at, until)[2]).toBe(until);
  });
});

import type { DashboardSource, DashboardUpdate, Delivery, DeliveryAttempt, StreamEvent } from '../../src/dashboard/data-source.js';

/** A dashboard source the test drives by hand: `send` pushes updates, `retried` records retries. */
export class FakeSource implements DashboardSource {
  retried: string[] = [];
  subscribers = 0;
  /** When set, the next retries reject with this message, as the gateway's one-line error. */
  retryError: string | undefined;
  private listener: ((update: DashboardUpdate) => void) | undefined;

  subscribe(onUpdate: (update: DashboardUpdate) => void): () => void {
    this.listener = onUpdate;
    this.subscribers += 1;
    return () => {
      this.listener = undefined;
      this.subscribers -= 1;
    };
  }

  async retryDelivery(id: string): Promise<{ message: string }> {
    this.retried.push(id);
    if (this.retryError) throw new Error(this.retryError);
    return { message: 'Webhook retry scheduled' };
  }

  send(...updates: DashboardUpdate[]): void {
    if (!this.listener) throw new Error('the dashboard has not subscribed (or has unsubscribed)');
    for (const update of updates) this.listener(update);
  }
}

export function anEvent(overrides: Partial<StreamEvent> & { payment?: Record<string, unknown> } = {}): StreamEvent {
  const { payment, ...rest } = overrides;
  return {
    id: 'evt_0000000000000001',
    event: 'payment.success',
    timestamp: '2026-11-29T20:00:00.000Z',
    sequence: 1,
    data: { payment: { id: 'pay_0000000000000001', amount: 50000, currency: 'INR', method: 'upi', status: 'success', ...payment } },
    ...rest,
  };
}

export function anAttempt(overrides: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  return {
    attempt: 1,
    url: 'http://127.0.0.1:9999/hook',
    attempted_at: '2026-11-29T20:00:01.000Z',
    status_code: 200,
    latency_ms: 12,
    response_body: 'ok',
    error: null,
    succeeded: true,
    ...overrides,
  };
}

export function aDelivery(overrides: Partial<Delivery> = {}): Delivery {
  const event = anEvent();
  return {
    id: 'whd_0000000000000001',
    entity: 'webhook_delivery',
    event: event.event,
    event_id: event.id,
    status: 'success',
    attempts: 1,
    created_at: '2026-11-29T20:00:00.000Z',
    last_attempt_at: '2026-11-29T20:00:01.000Z',
    next_attempt_at: null,
    response_code: 200,
    payload: event,
    attempt_log: [anAttempt()],
    ...overrides,
  };
}

/** A delivery whose receiver answered 500 `times` times and that is now `status`. */
export function aFailingDelivery(id: string, times: number, status: 'pending' | 'failed', created_at: string): Delivery {
  const attempt_log = Array.from({ length: times }, (_, i) =>
    anAttempt({ attempt: i + 1, status_code: 500, latency_ms: 20 + i, response_body: `{"error":"receiver down ${i + 1}"}`, succeeded: false }),
  );
  return aDelivery({ id, status, attempts: times, response_code: 500, attempt_log, created_at, next_attempt_at: status === 'pending' ? created_at : null });
}

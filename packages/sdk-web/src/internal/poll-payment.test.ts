import { describe, expect, it } from 'vitest';
import type { CheckoutPayment } from './checkout-api.js';
import { POLL_DELAYS_MS, pollUntilSettled } from './poll-payment.js';

const pending: CheckoutPayment = {
  id: 'pay_1',
  order_id: 'order_1',
  amount: 100,
  currency: 'INR',
  method: 'card',
  status: 'pending',
  error_code: null,
  error_description: null,
  created_at: '2026-11-29T00:00:00.000Z',
};

function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('pollUntilSettled', () => {
  it('backs off between reads until the payment leaves pending, and retries a failed read', async () => {
    const time = fakeTime();
    const answers: Array<CheckoutPayment | Error> = [pending, new Error('offline'), pending, pending, pending, pending, { ...pending, status: 'success' }];
    const settled = await pollUntilSettled(
      async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      { signal: new AbortController().signal, sleep: time.sleep, now: time.now },
    );
    expect(settled?.status).toBe('success');
    expect(time.slept).toEqual([...POLL_DELAYS_MS, 3000]);
  });

  it('gives up with null at the deadline', async () => {
    const time = fakeTime();
    const settled = await pollUntilSettled(async () => pending, { signal: new AbortController().signal, timeoutMs: 10_000, sleep: time.sleep, now: time.now });
    expect(settled).toBeNull();
    expect(time.now()).toBeGreaterThanOrEqual(10_000);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const polling = pollUntilSettled(async () => pending, { signal: controller.signal });
    controller.abort(new Error('closed'));
    await expect(polling).rejects.toThrow('closed');
  });
});

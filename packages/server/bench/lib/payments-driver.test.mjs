import { describe, expect, it } from 'vitest';
import { stagesOfP99, stagesP50, tailStages, warmUp } from './payments-driver.mjs';

/**
 * 200 lone payments, shuffled: payment i's webhook arrived at i ms, and each of its other stages
 * says which payment it belongs to (answered at i / 10, a worker settling at i / 2), so a figure
 * taken from the wrong payment, or mixed from several, shows.
 */
const stages = Array.from({ length: 200 }, (_, i) => ({ api_started: i % 3, answered: i / 10, worker_settling: i / 2, webhook_arrived: i })).sort(
  (a, b) => ((a.webhook_arrived * 7919) % 200) - ((b.webhook_arrived * 7919) % 200),
);

describe('the stages of one payment in flight', () => {
  it('stagesOfP99 gives every stage of the one payment at the 99th percentile of latency, not a percentile of each stage', () => {
    // floor(200 × 0.99) = 198: the second slowest of 200
    expect(stagesOfP99(stages)).toEqual({ api_started: 0, answered: 19.8, worker_settling: 99, webhook_arrived: 198 });
  });

  it('stagesOfP99 of a handful is the slowest payment', () => {
    expect(stagesOfP99(stages.filter((s) => s.webhook_arrived < 5)).webhook_arrived).toBe(4);
  });

  it('stagesP50 is the median of each stage on its own', () => {
    expect(stagesP50(stages)).toEqual({ api_started: 1, answered: 10, worker_settling: 50, webhook_arrived: 100 });
  });

  it('tailStages says which span each of the slowest 3 % lost the most in, and by how much on average', () => {
    // 100 payments 1 ms to the API's start, 2 to a worker, 2 to the webhook; then three late ones
    const usual = Array.from({ length: 100 }, () => ({ api_started: 1, answered: 2, worker_settling: 3, webhook_arrived: 5 }));
    const lateWorker = { api_started: 1, answered: 2, worker_settling: 13, webhook_arrived: 15 }; // 10 ms more to a worker
    const lateWebhooks = [8, 12].map((more) => ({ api_started: 1, answered: 2, worker_settling: 3, webhook_arrived: 5 + more }));
    // a late answer alone is not on the webhook's path: not one of the slowest
    const lateAnswer = { api_started: 1, answered: 40, worker_settling: 3, webhook_arrived: 5.5 };
    const tail = tailStages([...lateWebhooks, lateAnswer, ...usual, lateWorker]);
    expect(tail).toEqual({
      payments: 3, // round(104 × 0.03)
      most_lost_in: { before_api: 0, api_to_worker: 1, worker_to_webhook: 2 },
      mean_excess_ms: { before_api: 0, api_to_worker: 3.3, worker_to_webhook: 6.7 },
    });
  });

  it('tailStages of a handful takes the slowest one', () => {
    expect(tailStages(stages.filter((s) => s.webhook_arrived < 5)).payments).toBe(1);
  });
});

describe('warmUp', () => {
  it('pays that many new orders, each once, at most `concurrency` payments at once', async () => {
    const orders = [];
    const paid = [];
    let inFlight = 0;
    let most = 0;
    const api = {
      async post(path, body) {
        if (path === '/api/v1/orders') {
          orders.push(`order_${orders.length + 1}`);
          return { id: orders.at(-1) };
        }
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        paid.push(body.order_id);
        return { id: `pay_${body.order_id}`, created_at: new Date().toISOString() };
      },
    };
    const receiver = { counts: { duplicates: 0, connections: 0 }, arrival: async () => performance.now(), pending: () => 0 };
    await warmUp(api, receiver, { payments: 37, concurrency: 8 });
    expect(orders).toHaveLength(37);
    expect([...paid].sort()).toEqual([...orders].sort());
    expect(most).toBe(8);
  });
});

import { describe, expect, it } from 'vitest';
import { stagesOfP99, stagesP50 } from './payments-driver.mjs';

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
});

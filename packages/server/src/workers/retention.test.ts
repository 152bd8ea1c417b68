import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { FIRST_PASS_DELAY_MS, scheduleRetention } from './retention.js';

// What is pruned is retention.test.ts's (integration) business; here, only when.
const passes: number[] = [];
vi.mock('../services/retention.js', () => ({
  pruneExpiredData: vi.fn(async () => {
    passes.push(Date.now());
    return { attempts: 0, deliveries: 0, events: 0, heartbeats: 0 };
  }),
}));

const HOUR_MS = 3_600_000;

describe('scheduleRetention', () => {
  let t0: number;
  let stop: (() => Promise<void>) | undefined;
  const start = (intervalMs: number) => {
    const config = loadConfig({ retention: { ...loadConfig({}, {}).retention, intervalMs } }, {});
    const deps = { config, log: { info: vi.fn(), warn: vi.fn() } } as unknown as Pick<ServiceDeps, 'db' | 'clock' | 'config' | 'log'>;
    stop = scheduleRetention(deps).stop;
  };
  const passTimes = () => passes.map((at) => at - t0);

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-02T12:00:00.000Z') });
    t0 = Date.now();
    passes.length = 0;
  });
  afterEach(async () => {
    await stop?.();
    vi.useRealTimers();
  });

  it('makes its first pass a minute after the start, not at once, then one per interval', async () => {
    start(HOUR_MS);
    await vi.advanceTimersByTimeAsync(FIRST_PASS_DELAY_MS - 1);
    expect(passTimes()).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * HOUR_MS + 1);
    expect(passTimes()).toEqual([FIRST_PASS_DELAY_MS, FIRST_PASS_DELAY_MS + HOUR_MS, FIRST_PASS_DELAY_MS + 2 * HOUR_MS]);
  });

  it('makes its first pass after one interval when the interval is shorter than a minute', async () => {
    start(5_000);
    await vi.advanceTimersByTimeAsync(16_000);
    expect(passTimes()).toEqual([5_000, 10_000, 15_000]);
  });

  it('stop() cancels a first pass not made yet', async () => {
    start(HOUR_MS);
    await stop?.();
    await vi.advanceTimersByTimeAsync(2 * HOUR_MS);
    expect(passTimes()).toEqual([]);
  });
});

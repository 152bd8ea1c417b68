import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_BACKOFF_FACTOR, scheduleRelay, type RelaySchedule } from './relay-schedule.js';

const BASE_MS = 500;

describe('scheduleRelay', () => {
  let sweepsAt: number[];
  let found: number[];
  let schedule: RelaySchedule | undefined;
  const start = (firstAfterMs?: number) => {
    const t0 = Date.now();
    schedule = scheduleRelay(
      async () => {
        sweepsAt.push(Date.now() - t0);
        return found.shift() ?? 0;
      },
      { baseMs: BASE_MS, ...(firstAfterMs === undefined ? {} : { firstAfterMs }) },
    );
    return schedule;
  };
  /** Runs the timers for `ms`, letting each sweep's promise settle before the next timer. */
  const elapse = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-30T12:00:00.000Z') });
    sweepsAt = [];
    found = [];
  });
  afterEach(() => {
    schedule?.stop();
    vi.useRealTimers();
  });

  it('sweeps at once, then waits twice as long after each sweep that found nothing, up to the cap', async () => {
    start();
    await elapse(20_000);
    const waits = sweepsAt.slice(1).map((at, i) => at - sweepsAt[i]!);
    expect(sweepsAt[0]).toBe(0);
    expect(waits.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 4_000]);
    expect(Math.max(...waits)).toBe(BASE_MS * IDLE_BACKOFF_FACTOR);
  });

  it('goes back to the base interval as soon as a sweep finds work', async () => {
    found = [0, 0, 3, 0];
    start();
    await elapse(8_000);
    // 0 → 1000 → 3000 (found 3) → 3500 (base) → 4500 (doubled again)
    expect(sweepsAt.slice(0, 5)).toEqual([0, 1_000, 3_000, 3_500, 4_500]);
  });

  it('soon() brings a long idle wait down to the base interval', async () => {
    const s = start();
    await elapse(7_100); // sweeps at 0, 1000, 3000, 7000; the next is due at 11000
    s.soon();
    await elapse(BASE_MS);
    expect(sweepsAt.at(-1)).toBe(7_100 + BASE_MS);
  });

  it('dueAt() runs a sweep once a scheduled retry is due, and a later wait is not shortened by it', async () => {
    const s = start();
    await elapse(7_100); // idle: the next sweep at 11000
    s.dueAt(new Date(Date.now() + 1_200)); // due at 8300: its second ends at 9000 (t0 is on a second)
    await elapse(2_000);
    expect(sweepsAt).toContain(9_000);
    expect(sweepsAt).not.toContain(11_000);
  });

  it('dueAt() never delays a sweep that comes earlier', async () => {
    const s = start();
    s.dueAt(new Date(Date.now() + 60_000));
    await elapse(3_100);
    expect(sweepsAt).toEqual([0, 1_000, 3_000]);
  });

  it('sweeps first after firstAfterMs when given, and goes on from there', async () => {
    start(BASE_MS);
    await elapse(3_600);
    expect(sweepsAt).toEqual([500, 1_500, 3_500]);
  });

  it('soon() brings a first sweep set far off down to the base interval', async () => {
    const s = start(60_000);
    s.soon();
    await elapse(BASE_MS);
    expect(sweepsAt).toEqual([BASE_MS]);
  });

  it('stop() ends the sweeps', async () => {
    const s = start();
    await elapse(1_100);
    s.stop();
    const before = sweepsAt.length;
    await elapse(20_000);
    expect(sweepsAt).toHaveLength(before);
  });
});

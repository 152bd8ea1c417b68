import type { Knex } from 'knex';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestClock } from './clock.js';

/** A stand-in for the `gateway_clock` row that counts the clock's reads of it. */
function clockRow(offsetMs: number) {
  const row = { offset_ms: offsetMs, reset_epoch: 0 };
  let reads = 0;
  const db = (() => ({
    where: () => ({
      first: async () => {
        reads += 1;
        return { ...row };
      },
    }),
  })) as unknown as Knex;
  return { db, row, reads: () => reads };
}

describe('test clock', () => {
  afterEach(() => vi.useRealTimers());

  it('reads the row again every refreshMs, so another process’s advance reaches it', async () => {
    vi.useFakeTimers();
    const { db, row, reads } = clockRow(0);
    const clock = createTestClock(db, { refreshMs: 250 });
    await clock.start();
    expect(reads()).toBe(1);

    row.offset_ms = 60_000; // another API process advanced the clock
    await vi.advanceTimersByTimeAsync(250);
    expect(reads()).toBe(2);
    expect(clock.offsetMs()).toBe(60_000);
    clock.stop();
  });

  it('with refreshMs 0 (a database no other process opens), reads the row once, at start', async () => {
    vi.useFakeTimers();
    const { db, reads } = clockRow(5_000);
    const clock = createTestClock(db, { refreshMs: 0 });
    await clock.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reads()).toBe(1);
    expect(clock.offsetMs()).toBe(5_000);
    clock.stop();
  });
});

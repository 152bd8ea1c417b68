import type { Knex } from 'knex';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestClock, POLLED_REFRESH_MS, SIGNALLED_REFRESH_MS } from './clock.js';
import type { ClockMoveSignal } from '../../ports/clock.js';

/**
 * A stand-in for the `gateway_clock` row that counts the clock's reads of it and moves it as the
 * clock's own advance does. `hold()` makes the next read wait until it is let go, to answer late;
 * `holdUpdate()` the next write, before it changes the row.
 */
function clockRow(offsetMs: number) {
  const row = { offset_ms: offsetMs, reset_epoch: 0 };
  let reads = 0;
  let held: Promise<void> | undefined;
  let updateHeld: Promise<void> | undefined;
  const db = Object.assign(
    () => ({
      where: () => ({
        first: async () => {
          reads += 1;
          const answer = { ...row }; // the row as it was when the read ran
          const wait = held;
          held = undefined;
          if (wait) await wait;
          return answer;
        },
        update: (changes: { offset_ms: unknown }) => ({
          returning: async () => {
            const wait = updateHeld;
            updateHeld = undefined;
            if (wait) await wait; // the write is under way: reads meanwhile see the row as it was
            // a reset sets the offset to 0; the tests' advances are of a minute
            if (changes.offset_ms === 0) Object.assign(row, { offset_ms: 0, reset_epoch: row.reset_epoch + 1 });
            else row.offset_ms += 60_000;
            return [{ ...row }];
          },
        }),
      }),
    }),
    { raw: () => 'raw' },
  ) as unknown as Knex;
  const hold = () => {
    let release!: () => void;
    held = new Promise<void>((resolve) => (release = resolve));
    return release;
  };
  const holdUpdate = () => {
    let release!: () => void;
    updateHeld = new Promise<void>((resolve) => (release = resolve));
    return release;
  };
  return { db, row, reads: () => reads, hold, holdUpdate };
}

/** A signal in memory: `announced` counts announcements, `move()` plays another process's. */
function memorySignal(options: { failWatch?: boolean; onWatch?: () => void } = {}) {
  let onMove: (() => void) | undefined;
  let announced = 0;
  const signal: ClockMoveSignal = {
    announce: async () => void (announced += 1),
    watch: async (listener) => {
      options.onWatch?.();
      if (options.failWatch) throw new Error('redis away');
      onMove = listener;
    },
    close: async () => undefined,
  };
  return { signal, announced: () => announced, move: () => onMove?.() };
}

describe('test clock', () => {
  afterEach(() => vi.useRealTimers());

  it('with no signal, reads the row again every refreshMs, so another process’s advance reaches it', async () => {
    vi.useFakeTimers();
    const { db, row, reads } = clockRow(0);
    const clock = createTestClock(db);
    await clock.start();
    expect(reads()).toBe(1);

    row.offset_ms = 60_000; // another API process advanced the clock
    await vi.advanceTimersByTimeAsync(POLLED_REFRESH_MS);
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

  it('with a signal, reads another process’s move as soon as it is announced, and polls only now and then', async () => {
    vi.useFakeTimers();
    const { db, row, reads } = clockRow(0);
    const { signal, move } = memorySignal();
    const clock = createTestClock(db, { signal });
    const moves: number[] = [];
    clock.onMove(() => moves.push(clock.offsetMs()));
    await clock.start();
    expect(reads()).toBe(1);

    // Nothing moved: no read until the slow poll
    await vi.advanceTimersByTimeAsync(SIGNALLED_REFRESH_MS - 1);
    expect(reads()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads()).toBe(2);

    // Another process moves it and announces the move: read at once, with no timer due
    row.offset_ms = 120_000;
    move();
    await vi.advanceTimersByTimeAsync(0);
    expect(reads()).toBe(3);
    expect(clock.offsetMs()).toBe(120_000);
    expect(moves).toEqual([120_000]);
    clock.stop();
  });

  it('watches the signal before its first read, so that a move made in between is not missed', async () => {
    const { db, reads } = clockRow(0);
    let readsWhenWatched: number | undefined;
    const { signal } = memorySignal({ onWatch: () => (readsWhenWatched = reads()) });
    const clock = createTestClock(db, { signal });
    await clock.start();
    expect(readsWhenWatched).toBe(0);
    expect(reads()).toBe(1);
    clock.stop();
  });

  it('polls as often as with no signal when watching it fails', async () => {
    vi.useFakeTimers();
    const { db, reads } = clockRow(0);
    const { signal } = memorySignal({ failWatch: true });
    const clock = createTestClock(db, { signal });
    await clock.start();
    await vi.advanceTimersByTimeAsync(POLLED_REFRESH_MS * 4);
    expect(reads()).toBe(5);
    clock.stop();
  });

  it('polls as often as with no signal when its signal never starts watching', async () => {
    vi.useFakeTimers();
    const { db, reads } = clockRow(0);
    const { signal } = memorySignal();
    signal.watch = () => new Promise(() => undefined); // a Redis that takes the connection and never answers
    const clock = createTestClock(db, { signal });
    const started = clock.start();
    await vi.advanceTimersByTimeAsync(5_000);
    await started;
    expect(reads()).toBe(1);
    await vi.advanceTimersByTimeAsync(POLLED_REFRESH_MS * 2);
    expect(reads()).toBe(3);
    clock.stop();
  });

  it('announces its own advances and resets once they are written', async () => {
    const { db, row } = clockRow(0);
    const { signal, announced } = memorySignal();
    const clock = createTestClock(db, { signal, refreshMs: 0 });
    await clock.start();
    expect(announced()).toBe(0);
    expect(await clock.advance(60)).toBe(60_000);
    expect(row.offset_ms).toBe(60_000);
    expect(announced()).toBe(1);
    await clock.reset();
    expect(clock.offsetMs()).toBe(0);
    expect(clock.resetEpoch()).toBe(1);
    expect(announced()).toBe(2);
  });

  it('keeps the newest answer when an older read answers late', async () => {
    const { db, row, hold } = clockRow(0);
    const { signal, move } = memorySignal();
    const clock = createTestClock(db, { signal, refreshMs: 0 });
    await clock.start();

    // A read is sent (and will answer late, with the row as it was: offset 0)...
    const release = hold();
    const late = clock.refresh();
    // ...then another process moves the clock and announces it; that read answers first
    row.offset_ms = 60_000;
    move();
    await expect.poll(() => clock.offsetMs()).toBe(60_000);
    release();
    await late;
    expect(clock.offsetMs()).toBe(60_000);
  });

  it('keeps its own advance when a read sent while it was being written answers after it', async () => {
    const { db, hold, holdUpdate } = clockRow(0);
    const clock = createTestClock(db, { refreshMs: 0 });
    await clock.start();

    // An advance is being written...
    const written = holdUpdate();
    const advancing = clock.advance(60);
    // ...when a read is sent (a poll, or an announcement heard): it sees the row as it was, offset 0
    const release = hold();
    const late = clock.refresh();
    written();
    await advancing;
    expect(clock.offsetMs()).toBe(60_000);
    // and it answers after the advance did
    release();
    await late;
    expect(clock.offsetMs()).toBe(60_000);
  });
});

import type { Knex } from 'knex';
import { withTimeout } from '../../lib/within.js';
import type { Clock, ClockMoveSignal, TestClock } from '../../ports/clock.js';

/** The plain wall clock. */
export function createSystemClock(): Clock {
  return { now: () => new Date(), realNow: () => new Date(), offsetMs: () => 0 };
}

/** How often a clock with no signal of other processes' moves reads the row again. */
export const POLLED_REFRESH_MS = 250;
/**
 * How often a signalled clock reads the row anyway: for an announcement it did not hear (one
 * whose PUBLISH failed, or sent by a process of a version before the signal).
 */
export const SIGNALLED_REFRESH_MS = 5_000;
/** How long {@link createTestClock}'s start waits for its signal to be watching. */
const WATCH_TIMEOUT_MS = 5_000;

/**
 * Test mode's clock on the `gateway_clock` row. It reads nothing until {@link start} (the gateway
 * builds its HTTP app while the database is still opening, then starts the clock): until then it
 * tells real time.
 *
 * Other processes' moves (another API process's advance or reset) reach it through `signal` at
 * once, and through its own reads every `refreshMs`. Without a signal it polled the row four times
 * a second in every process, idle or not, and a move took up to that long to reach the workers.
 *
 * @param options.signal  announces this clock's moves and hears the others'; should watching
 *   fail at start, the clock polls every {@link POLLED_REFRESH_MS} instead.
 * @param options.refreshMs  how often to read the row again: by default {@link SIGNALLED_REFRESH_MS}
 *   with a signal, {@link POLLED_REFRESH_MS} without; 0: never, for a database no other process
 *   opens (PGlite), where this clock's own advances and resets are all the moves there are.
 */
export function createTestClock(db: Knex, options: { refreshMs?: number; signal?: ClockMoveSignal } = {}): TestClock & { start(): Promise<void> } {
  const { signal } = options;
  let offset = 0;
  let epoch = 0;
  let timer: NodeJS.Timeout | undefined;
  const listeners: Array<() => void> = [];
  // Reads and moves run on different connections and can answer out of order: a read whose
  // SELECT ran before a move was written must not put the old offset back when it answers after
  // the move (and keep it until the next look, seconds later), whether it was sent before the move
  // or while the move was being written. The row only moves forward (an advance adds a second at
  // least, a reset counts an epoch and zeroes the offset), so of two answers the one with the later
  // epoch, or the same epoch and the larger offset, was read from the newer row: only that is kept.
  const keep = (nextOffset: number, nextEpoch: number): boolean => {
    const newer = nextEpoch > epoch || (nextEpoch === epoch && nextOffset > offset);
    if (!newer) return false;
    offset = nextOffset;
    epoch = nextEpoch;
    return true;
  };
  const read = async () => {
    const row = await db('gateway_clock')
      .where({ id: 1 })
      .first<{ offset_ms: number | string; reset_epoch: number | string } | undefined>('offset_ms', 'reset_epoch');
    const [nextOffset, nextEpoch] = row ? [Number(row.offset_ms), Number(row.reset_epoch)] : [0, 0];
    if (keep(nextOffset, nextEpoch)) listeners.forEach((listener) => listener());
  };
  // A missed read keeps the last offset; the next one (or the next announcement) catches up.
  const readSoon = () => void read().catch(() => undefined);
  const poll = (refreshMs: number) => {
    clearInterval(timer);
    if (refreshMs === 0) return;
    timer = setInterval(readSoon, refreshMs);
    timer.unref();
  };
  return {
    /**
     * Watches the signal, then reads the offset (a move between the two is not missed), then
     * reads it again every `refreshMs`. A signal that is not watching within
     * {@link WATCH_TIMEOUT_MS} (a Redis that takes the connection and never answers) is polled
     * around, as if it had failed.
     */
    async start() {
      let watching = false;
      if (signal)
        watching = await withTimeout(signal.watch(readSoon), WATCH_TIMEOUT_MS, 'watching the test clock').then(
          () => true,
          () => false,
        );
      await read();
      poll(options.refreshMs ?? (watching ? SIGNALLED_REFRESH_MS : POLLED_REFRESH_MS));
    },
    now: () => new Date(Date.now() + offset),
    realNow: () => new Date(),
    offsetMs: () => offset,
    async advance(seconds) {
      const [row] = await db('gateway_clock')
        .where({ id: 1 })
        .update({ offset_ms: db.raw('offset_ms + ?', [seconds * 1000]) })
        .returning<{ offset_ms: number | string; reset_epoch: number | string }[]>(['offset_ms', 'reset_epoch']);
      keep(Number(row?.offset_ms ?? 0), Number(row?.reset_epoch ?? epoch));
      await signal?.announce();
      return offset;
    },
    async reset() {
      const [row] = await db('gateway_clock')
        .where({ id: 1 })
        .update({ offset_ms: 0, reset_epoch: db.raw('reset_epoch + 1') })
        .returning<{ reset_epoch: number | string }[]>('reset_epoch');
      keep(0, Number(row?.reset_epoch ?? epoch + 1));
      await signal?.announce();
    },
    resetEpoch: () => epoch,
    refresh: read,
    onMove: (listener) => void listeners.push(listener),
    stop: () => clearInterval(timer),
  };
}

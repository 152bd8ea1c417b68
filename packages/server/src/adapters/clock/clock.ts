import type { Knex } from 'knex';
import type { Clock, TestClock } from '../../ports/clock.js';

/** The plain wall clock. */
export function createSystemClock(): Clock {
  return { now: () => new Date(), realNow: () => new Date(), offsetMs: () => 0 };
}

/**
 * Test mode's clock on the `gateway_clock` row. It reads nothing until {@link start} (the gateway
 * builds its HTTP app while the database is still opening, then starts the clock): until then it
 * tells real time.
 *
 * @param options.refreshMs  how often to read the row again, for the moves other processes make
 *   (another API process's advance); 0: never, for a database no other process opens (PGlite),
 *   where this clock's own advances and resets are all the moves there are.
 */
export function createTestClock(db: Knex, options: { refreshMs?: number } = {}): TestClock & { start(): Promise<void> } {
  let offset = 0;
  let epoch = 0;
  let timer: NodeJS.Timeout | undefined;
  const listeners: Array<() => void> = [];
  const read = async () => {
    const row = await db('gateway_clock')
      .where({ id: 1 })
      .first<{ offset_ms: number | string; reset_epoch: number | string } | undefined>('offset_ms', 'reset_epoch');
    const [nextOffset, nextEpoch] = row ? [Number(row.offset_ms), Number(row.reset_epoch)] : [0, 0];
    const moved = nextOffset !== offset || nextEpoch !== epoch;
    offset = nextOffset;
    epoch = nextEpoch;
    if (moved) listeners.forEach((listener) => listener());
  };
  return {
    /** Reads the offset, then again every `refreshMs`. */
    async start() {
      await read();
      clearInterval(timer);
      const refreshMs = options.refreshMs ?? 250;
      if (refreshMs === 0) return;
      timer = setInterval(() => {
        read().catch(() => undefined); // a missed refresh keeps the last offset; the next one catches up
      }, refreshMs);
      timer.unref();
    },
    now: () => new Date(Date.now() + offset),
    realNow: () => new Date(),
    offsetMs: () => offset,
    async advance(seconds) {
      const [row] = await db('gateway_clock')
        .where({ id: 1 })
        .update({ offset_ms: db.raw('offset_ms + ?', [seconds * 1000]) })
        .returning<{ offset_ms: number | string }[]>('offset_ms');
      offset = Number(row?.offset_ms ?? 0);
      return offset;
    },
    async reset() {
      const [row] = await db('gateway_clock')
        .where({ id: 1 })
        .update({ offset_ms: 0, reset_epoch: db.raw('reset_epoch + 1') })
        .returning<{ reset_epoch: number | string }[]>('reset_epoch');
      offset = 0;
      epoch = Number(row?.reset_epoch ?? epoch + 1);
    },
    resetEpoch: () => epoch,
    refresh: read,
    onMove: (listener) => void listeners.push(listener),
    stop: () => clearInterval(timer),
  };
}

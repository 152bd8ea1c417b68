/**
 * The gateway's notion of "now". Business timestamps (created_at, next_attempt_at, process_after)
 * use `now()`, which test mode can move forward; lease and liveness bookkeeping (enqueued_at,
 * locked_until, heartbeats, queue delays) uses `realNow()`, which never jumps.
 */
export interface Clock {
  now(): Date;
  realNow(): Date;
  /** Offset of `now()` from real time, in milliseconds (0 outside test mode). */
  offsetMs(): number;
}

/**
 * Test mode's controllable clock. The offset lives in the `gateway_clock` row so that every API
 * and worker process sees the same "now"; each process re-reads it when another announces a move
 * (a {@link ClockMoveSignal}), every `refreshMs` besides, and at once after its own `advance`.
 */
export type TestClock = Clock & {
  advance(seconds: number): Promise<number>;
  /** Puts the clock back to real time and bumps {@link TestClock.resetEpoch} (every process sees it). */
  reset(): Promise<void>;
  /**
   * How many resets this process has seen, read with the offset (so at no extra cost): caches of
   * data a reset deletes compare it and drop their entries when it changes.
   */
  resetEpoch(): number;
  refresh(): Promise<void>;
  /** Calls `listener` whenever a re-read finds the clock moved or reset (by another process). */
  onMove(listener: () => void): void;
  stop(): void;
};

/**
 * How the processes of one deployment tell each other that the test clock moved, so that each
 * reads the row at once instead of at its next look. Best effort: the row is the truth, and each
 * clock still reads it now and then for an announcement it did not hear.
 */
export interface ClockMoveSignal {
  /** After this process committed a move or a reset. Never rejects: a failure is logged. */
  announce(): Promise<void>;
  /**
   * Calls `onMove` when any process announces a move, and again whenever announcements may have
   * been missed (the subscription came back after a reconnection). Resolves once announcements
   * reach it; rejects if they cannot.
   */
  watch(onMove: () => void): Promise<void>;
  close(): Promise<void>;
}

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
 * and worker process sees the same "now"; each process re-reads it every `refreshMs` and at once
 * after its own `advance`.
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

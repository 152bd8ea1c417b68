/** An idle relay's wait grows to this many times the base interval (4 s at the default 500 ms). */
export const IDLE_BACKOFF_FACTOR = 8;
/** Retry due times are kept to the second: a sweep a few hundred ms late is on time for a retry. */
const DUE_BUCKET_MS = 1_000;

export type RelaySchedule = {
  /** Brings the next sweep to within the base interval (work the relay must pick up has appeared). */
  soon(): void;
  /** Makes sure a sweep runs once `realAt` has passed (a retry this process scheduled comes due). */
  dueAt(realAt: Date): void;
  stop(): void;
};

/**
 * When the relay sweeps: `firstAfterMs` after the start (at once by default), then every `baseMs`
 * while sweeps find work; after each sweep that found nothing, twice as long as the last wait, up
 * to `baseMs` × {@link IDLE_BACKOFF_FACTOR}.
 * An idle gateway (`pg-cli dev` left open on a laptop) sweeps every few seconds instead of twice a
 * second: each sweep costs PGlite about 5 ms of CPU (seventh sitting, perf's task-clock of an idle
 * `pg-cli dev`: 19–21 ms/s sweeping every 500 ms, 10–11 every 5 s).
 *
 * What the relay is there for still comes on time:
 *  - a retry this process scheduled: {@link RelaySchedule.dueAt} runs a sweep when it is due;
 *  - deliveries handed back, or the test clock moved by another process: {@link RelaySchedule.soon};
 *  - a job lost with its worker or with Redis: found once its stale window (30 s by default) has
 *    passed, at most one idle wait later than with a fixed interval.
 *
 * @param sweep  one sweep; resolves with how much it queued (and must not reject).
 * @param options.firstAfterMs  when the first sweep comes; {@link soon} and {@link dueAt} may
 *   bring it earlier.
 */
export function scheduleRelay(sweep: () => Promise<number>, options: { baseMs: number; firstAfterMs?: number }): RelaySchedule {
  const { baseMs, firstAfterMs = 0 } = options;
  const maxIdleMs = baseMs * IDLE_BACKOFF_FACTOR;
  let waitMs = baseMs;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let stopped = false;
  /** Seconds (real time) at which retries this process scheduled come due. */
  const dueBuckets = new Set<number>();

  /** Sets the next sweep for `at` (real ms), unless one is set earlier already. */
  const arm = (at: number) => {
    if (stopped || at >= timerAt) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(run, Math.max(0, at - Date.now()));
    timer.unref();
  };

  const nextDue = (now: number): number => {
    let next = Infinity;
    for (const bucket of dueBuckets) {
      const at = (bucket + 1) * DUE_BUCKET_MS; // the bucket's end: everything in it is due by then
      if (at <= now) dueBuckets.delete(bucket);
      else next = Math.min(next, at);
    }
    return next;
  };

  async function run() {
    timer = undefined;
    timerAt = Infinity;
    const found = await sweep();
    waitMs = found > 0 ? baseMs : Math.min(waitMs * 2, maxIdleMs);
    const now = Date.now();
    arm(Math.min(now + waitMs, nextDue(now)));
  }

  if (firstAfterMs > 0) arm(Date.now() + firstAfterMs);
  else void run();
  return {
    soon() {
      waitMs = baseMs;
      arm(Date.now() + baseMs);
    },
    dueAt(realAt) {
      const bucket = Math.floor(realAt.getTime() / DUE_BUCKET_MS);
      dueBuckets.add(bucket);
      arm((bucket + 1) * DUE_BUCKET_MS);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

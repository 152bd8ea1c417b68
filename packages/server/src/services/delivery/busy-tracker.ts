import type { Logger } from 'pino';

/**
 * Counts the dispatcher's unfinished work (deliveries waiting for their endpoint, attempts in
 * flight or unrecorded, hand-backs), so that tests and shutdown can wait until there is none.
 */
export type BusyTracker = {
  /** Counts `work` as busy until it settles; never rejects (the rows stay the truth). */
  track(work: Promise<unknown>, what: string, deliveryIds: readonly string[]): void;
  /** Resolves once nothing is busy. */
  idle(): Promise<void>;
  /** Waits up to `timeoutMs` for {@link idle}; resolves whether it came in time. */
  idleWithin(timeoutMs: number): Promise<boolean>;
};

export function createBusyTracker(log: Logger): BusyTracker {
  let busy = 0;
  const idleWaiters: Array<() => void> = [];

  const idle = () => (busy === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)));

  return {
    track(work, what, deliveryIds) {
      busy += 1;
      void work
        .catch((error: unknown) => log.error({ err: error, deliveryIds }, `${what} failed; the relay will retry the delivery`))
        .finally(() => {
          busy -= 1;
          if (busy === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
        });
    },
    idle,
    async idleWithin(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const done = await Promise.race([idle().then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))]);
      clearTimeout(timer);
      return done;
    },
  };
}

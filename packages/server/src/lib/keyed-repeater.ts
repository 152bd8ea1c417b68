/**
 * Calls a key's function every `everyMs` until `forMs` after the latest `start` for that key
 * (once more when that time has come, so the last call falls after it), then stops on its own:
 * for something that must happen often for a while, however many times the while begins again.
 * The timers are unref'd: they never keep a process alive.
 */
export type KeyedRepeater = {
  start(key: string, forMs: number, fn: () => void): void;
  stop(key: string): void;
  stopAll(): void;
  /** Keys repeating now. */
  readonly size: number;
};

export function createKeyedRepeater(everyMs: number): KeyedRepeater {
  const running = new Map<string, { timer: NodeJS.Timeout; until: number; fn: () => void }>();
  const stop = (key: string) => {
    clearInterval(running.get(key)?.timer);
    running.delete(key);
  };
  return {
    start(key, forMs, fn) {
      const until = performance.now() + forMs;
      const current = running.get(key);
      if (current) {
        current.until = Math.max(current.until, until);
        current.fn = fn;
        return;
      }
      const entry = {
        until,
        fn,
        timer: setInterval(() => {
          if (performance.now() >= entry.until) stop(key);
          entry.fn();
        }, everyMs),
      };
      entry.timer.unref();
      running.set(key, entry);
    },
    stop,
    stopAll() {
      for (const key of [...running.keys()]) stop(key);
    },
    get size() {
      return running.size;
    },
  };
}

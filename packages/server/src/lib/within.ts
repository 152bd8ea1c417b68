/**
 * Waits for `work` at most `ms`, then gives up on it (it keeps running, unobserved: its
 * rejection is swallowed so it cannot become an unhandled one). Resolves `true` when it
 * finished in time. Used on the way down, where a call to a dependency that is gone (Redis,
 * PostgreSQL) must not hold a process that was told to stop.
 */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = work.then(
    () => true,
    () => true,
  );
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
    timer.unref();
  });
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `work`'s result, or a rejection naming `what` once `ms` pass first (`work` keeps running,
 * unobserved). For a call to a dependency that may hang (Redis mid-outage) on a request's path.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

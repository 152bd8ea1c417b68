import { pruneExpiredData } from '../services/retention.js';
import type { ServiceDeps } from '../services/service-deps.js';

/**
 * How long after a process starts its first pass comes (or the interval, if shorter). Not at once:
 * a start's first moments belong to its first requests, and the first pass is the slowest, since
 * it reads its tables' catalog entries and plans its statements cold. In `pg-cli dev` it ran on
 * PGlite's one session the instant the gateway was ready, and a request sent then waited 0.1 s
 * behind it. A minute in, the catalog is warm; a process restarted more often than that prunes at
 * its next long run, which loses nothing (retention only ever removes what has aged past its days).
 */
export const FIRST_PASS_DELAY_MS = 60_000;

/**
 * Prunes {@link FIRST_PASS_DELAY_MS} after starting and then every `config.retention.intervalMs`,
 * in this process. `stop` cancels the schedule and waits for a run under way, so the database is
 * not closed under it.
 */
export function scheduleRetention(deps: Pick<ServiceDeps, 'db' | 'clock' | 'config' | 'log'>): { stop(): Promise<void> } {
  const { intervalMs } = deps.config.retention;
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= pruneExpiredData(deps)
      .then((counts) => {
        if (Object.values(counts).some((n) => n > 0)) deps.log.info({ removed: counts }, 'retention pruned old data');
      })
      .catch((error: unknown) => deps.log.warn({ err: error }, 'retention run failed; the next one retries'))
      .finally(() => {
        running = undefined;
      });
  };
  let timer: NodeJS.Timeout = setTimeout(
    () => {
      run();
      timer = setInterval(run, intervalMs);
      timer.unref();
    },
    Math.min(FIRST_PASS_DELAY_MS, intervalMs),
  );
  timer.unref();
  return {
    async stop() {
      // clearTimeout and clearInterval each clear either kind of timer
      clearTimeout(timer);
      await running;
    },
  };
}

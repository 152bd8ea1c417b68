import { pruneExpiredData } from '../services/retention.js';
import type { ServiceDeps } from '../services/service-deps.js';

/**
 * Prunes at once and then every `config.retention.intervalMs`, in this process. `stop` cancels
 * the schedule and waits for a run under way, so the database is not closed under it.
 */
export function scheduleRetention(deps: Pick<ServiceDeps, 'db' | 'clock' | 'config' | 'log'>): { stop(): Promise<void> } {
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
  run();
  const timer = setInterval(run, deps.config.retention.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

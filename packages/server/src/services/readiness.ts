import { pingDatabase } from '../adapters/db/operations/ping.js';
import type { ServiceDeps } from './service-deps.js';

export type DependencyStatus = 'ok' | 'down';

/** `ok` or `down`: the answer names the dependency, the log line (not the response) says why. */
async function check(name: string, what: () => Promise<unknown>, log: Pick<ServiceDeps['log'], 'warn'>): Promise<DependencyStatus> {
  try {
    await what();
    return 'ok';
  } catch (error) {
    log.warn({ err: error, dependency: name }, 'readiness check failed');
    return 'down';
  }
}

/**
 * Readiness (`GET /ready`): PostgreSQL (or PGlite) and the queue backend (Redis) both answer.
 * They are checked side by side, each on its own, so the answer names the one that is down;
 * `log` is the request's logger, so the reason is logged under the request id.
 */
export async function checkReadiness(
  deps: Pick<ServiceDeps, 'db' | 'queue'>,
  log: Pick<ServiceDeps['log'], 'warn'>,
): Promise<{ ready: boolean; checks: { database: DependencyStatus; queue: DependencyStatus } }> {
  const [database, queue] = await Promise.all([check('database', () => pingDatabase({ db: deps.db }), log), check('queue', () => deps.queue.check(), log)]);
  return { ready: database === 'ok' && queue === 'ok', checks: { database, queue } };
}

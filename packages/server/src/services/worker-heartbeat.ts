import { deleteHeartbeat, upsertHeartbeat } from '../adapters/db/operations/relay.js';
import type { ServiceDeps } from './service-deps.js';

/** A worker process as its heartbeat row names it. */
export type WorkerIdentity = { id: string; hostname: string; pid: number; concurrency: number; startedAt: Date };

/**
 * Records that the worker is alive now (real time): `worker_status` counts the workers that beat
 * within `HEARTBEAT_WINDOW_MS` (services/test-mode.ts), and retention prunes the rows of dead ones.
 */
export function recordWorkerHeartbeat(deps: Pick<ServiceDeps, 'db' | 'clock'>, worker: WorkerIdentity): Promise<void> {
  return upsertHeartbeat({ db: deps.db, worker, realNow: deps.clock.realNow() });
}

/** Removes the worker's heartbeat when it stops, so it stops counting at once, not when its last beat ages out. */
export function removeWorkerHeartbeat(deps: Pick<ServiceDeps, 'db'>, workerId: string): Promise<void> {
  return deleteHeartbeat({ db: deps.db, workerId });
}

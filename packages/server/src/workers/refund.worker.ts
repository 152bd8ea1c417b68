import { processRefund } from '../services/refunds.js';
import type { ServiceDeps } from '../services/deps.js';

/** Settles the refunds of a job, one statement each: refunds are few next to payments. */
export const refundWorker = (deps: ServiceDeps) => async (ids: string[]) => {
  for (const id of ids) await processRefund(deps, id);
  return 'settled';
};

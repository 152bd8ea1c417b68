import { processRefund } from '../services/refunds.js';
import type { ServiceDeps } from '../services/deps.js';

/** Settles one refund (job id = refund id). */
export const refundWorker = (deps: ServiceDeps) => (id: string) => processRefund(deps, id);

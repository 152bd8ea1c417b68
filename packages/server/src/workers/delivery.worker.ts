import { deliverWebhooks } from '../services/webhooks.js';
import type { ServiceDeps } from '../services/deps.js';

/** Makes the due attempt of each webhook delivery in a job. */
export const deliveryWorker = (deps: ServiceDeps) => (ids: string[]) => deliverWebhooks(deps, ids).then(() => 'attempted');

import { deliverWebhook } from '../services/webhooks.js';
import type { ServiceDeps } from '../services/deps.js';

/** Makes the due attempt of one webhook delivery (job id = delivery id). */
export const deliveryWorker = (deps: ServiceDeps) => (id: string) => deliverWebhook(deps, id);

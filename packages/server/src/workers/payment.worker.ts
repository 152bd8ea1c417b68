import { processPayment } from '../services/payments.js';
import type { ServiceDeps } from '../services/deps.js';

/** Settles one payment (job id = payment id). */
export const paymentWorker = (deps: ServiceDeps) => (id: string) => processPayment(deps, id);

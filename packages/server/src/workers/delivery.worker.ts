import type { DeliveryDispatcher } from '../services/delivery-dispatcher.js';

/**
 * Hands the webhook deliveries of a job to this process's dispatcher. The job is done once they
 * are claimed and started: their attempts run on, so a slow receiver never holds a job slot.
 */
export const deliveryWorker = (dispatcher: DeliveryDispatcher) => (ids: string[]) => dispatcher.dispatch(ids).then(() => 'dispatched');

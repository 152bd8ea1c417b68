import { z } from 'zod';
import { listQuerySchema } from '@paygate/core';
import { EVENT_TYPES } from './events.js';

/** Event types a delivery can carry: the payment and refund events, and `webhook.test`. */
const DELIVERY_EVENT_TYPES = [...EVENT_TYPES, 'webhook.test'] as const;

/**
 * `GET /api/v1/webhooks` (and tRPC `webhooks.list`): the list query plus `event`, one event type
 * (`pg-cli webhooks list --event payment.success`), and `payment_id`, one payment's deliveries
 * (the dashboard's payment page).
 */
export const webhookListQuerySchema = listQuerySchema.extend({
  event: z.enum(DELIVERY_EVENT_TYPES, { error: `event must be one event type from: ${DELIVERY_EVENT_TYPES.join(', ')}` }).optional(),
  payment_id: z.string({ error: 'payment_id must be a payment id such as pay_H8sK3jD9s2L1pQr' }).max(64).optional(),
});

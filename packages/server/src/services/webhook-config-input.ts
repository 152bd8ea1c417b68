import { z } from 'zod';
import { webhookConfigSchema } from '@paygate/core';
import { EVENT_TYPES } from './events.js';

/**
 * The body of a webhook settings update, the same on REST (`PUT /api/v1/webhooks/config`) and
 * tRPC (`webhooks.updateConfig`). `events`: which events the endpoint receives; null (or absent
 * on first save) means all of them.
 */
export const webhookConfigInputSchema = webhookConfigSchema.extend({
  events: z
    .array(z.enum(EVENT_TYPES, { error: `events must list event types from: ${EVENT_TYPES.join(', ')}` }))
    .min(1, { error: 'events must name at least one event type, or be null for all' })
    .nullable()
    .optional(),
});

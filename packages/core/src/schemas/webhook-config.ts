import { z } from 'zod';
import { strictObject } from './fields.js';
import { mustBe } from './messages.js';

/** Longest webhook URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

const webhookUrlWhat = 'an http:// or https:// URL such as https://example.com/webhooks, or null to stop sending webhooks';

/**
 * Body of `PUT /webhooks/config`: `{ webhook_url: http(s) URL | null, enabled? }`. Whether a
 * private address may be a target is decided at delivery time, not here.
 */
export const webhookConfigSchema = strictObject({
  webhook_url: z
    .url({ protocol: /^https?$/, error: mustBe('webhook_url', webhookUrlWhat) })
    .max(MAX_WEBHOOK_URL_LENGTH, { error: `webhook_url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` })
    .nullable(),
  enabled: z.boolean({ error: mustBe('enabled', 'true or false') }).optional(),
});

/** A parsed webhook configuration. */
export type WebhookConfigInput = z.infer<typeof webhookConfigSchema>;

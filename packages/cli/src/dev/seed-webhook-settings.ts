import { SEED_MERCHANT, type Gateway } from '@paygate/server';
import { BANNER_REQUEST_ID } from './pretty-log-format.js';

/**
 * The seed merchant's current webhook secret and URL, asked of the gateway itself (a rotated
 * secret or a saved URL lives in the data dir, so the seed's constants may be out of date).
 * Falls back to the seed's constants if the gateway cannot say.
 */
export async function seedWebhookSettings(gateway: Gateway): Promise<{ webhookSecret: string; webhookUrl: string | null }> {
  const fallback = { webhookSecret: SEED_MERCHANT.webhookSecret, webhookUrl: null };
  if (!gateway.app) return fallback;
  try {
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/api/v1/webhooks/config',
      headers: { 'x-api-key': SEED_MERCHANT.apiKey, 'x-api-secret': SEED_MERCHANT.apiSecret, 'x-request-id': BANNER_REQUEST_ID },
    });
    if (response.statusCode !== 200) return fallback;
    const body = response.json<{ webhook_secret: string; webhook_url: string | null }>();
    return { webhookSecret: body.webhook_secret, webhookUrl: body.webhook_url };
  } catch {
    return fallback;
  }
}

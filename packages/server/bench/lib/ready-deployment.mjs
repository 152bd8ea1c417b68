// A deployment made ready to measure, the same way for every bench that pays: the test merchant's
// webhooks pointed at a fresh receiver, a client for its API processes, and a warm-up, so that
// plans are kept and connections open before anything is counted.
import { apiClient } from './api-client.mjs';
import { warmUp } from './payments-driver.mjs';
import { startReceiver } from './receiver.mjs';

/** The warm-up: this many payments, 16 in flight. */
const WARM_UP_PAYMENTS = 200;

/**
 * Resolves with the receiver, the API client and `close()` (both), once `webhookEvents` are
 * subscribed and the warm-up's webhooks have all arrived.
 */
export async function readyDeployment(deployment, { connections, webhookEvents = ['payment.success'] }) {
  const receiver = await startReceiver();
  const api = apiClient(deployment.baseUrls, connections);
  const close = async () => {
    await api.close();
    await receiver.close();
  };
  try {
    await api.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.url, events: webhookEvents });
    await warmUp(api, receiver, { payments: WARM_UP_PAYMENTS, concurrency: 16 });
  } catch (error) {
    await close();
    throw error;
  }
  return { api, receiver, close };
}

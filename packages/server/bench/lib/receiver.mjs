// The merchant's webhook receiver: verifies each signature as a merchant would, and tells the
// payments driver when each payment's payment.success arrived (over the bench's own HTTP/1.1
// server, http1-server.mjs). Counts bad signatures and duplicates (a payment's event webhooked
// twice means it was settled or delivered twice).
import { createHmac } from 'node:crypto';
import { createHttp1Server, headerValue } from './http1-server.mjs';

export const WEBHOOK_SECRET = 'whsec_test_abc123';

export async function startReceiver() {
  const seen = new Set();
  const listeners = new Map(); // payment id → callback(arrivedAt)
  const early = new Map(); // webhooks that beat the POST response home
  const settledAtById = new Map(); // the payment's updated_at: when the worker settled it (gateway clock)
  const counts = { bad_signatures: 0, duplicates: 0, received: 0, connections: 0 };
  const server = createHttp1Server(
    (head, body) => {
      const arrivedAt = performance.now();
      const expected = createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
      if (headerValue(head, 'x-webhook-signature') !== expected) return void (counts.bad_signatures += 1);
      const { event, data } = JSON.parse(body.toString('utf8'));
      const { id, updated_at: settledAt } = data.payment;
      // A payment's other events (--webhook-events all) are verified and counted, and wait for nobody.
      const key = `${event} ${id}`;
      if (seen.has(key)) return void (counts.duplicates += 1);
      seen.add(key);
      counts.received += 1;
      if (event !== 'payment.success') return;
      settledAtById.set(id, settledAt);
      const listener = listeners.get(id);
      if (listener) {
        listeners.delete(id);
        listener(arrivedAt);
      } else early.set(id, arrivedAt);
    },
    () => (counts.connections += 1), // a sender that reconnects pays a TCP handshake each time
  );
  const port = await server.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    counts,
    /** Resolves with the arrival time of the payment's webhook (already arrived or not). */
    arrival(id) {
      if (early.has(id)) {
        const at = early.get(id);
        early.delete(id);
        return Promise.resolve(at);
      }
      return new Promise((resolve) => listeners.set(id, resolve));
    },
    /** When the worker settled the payment (epoch ms, the gateway's clock), read off its webhook. */
    settledAt: (id) => Date.parse(settledAtById.get(id)),
    pending: () => listeners.size,
    close: () => server.close(),
  };
}

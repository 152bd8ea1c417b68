import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isWebhookVerificationError, type PaygateWebhookEvent, verifyWebhook } from '@paygate/webhook-verify';

export type Delivery = { verified: true; event: PaygateWebhookEvent } | { verified: false; reason: string };

/**
 * The merchant's webhook receiver the README points at (127.0.0.1:4000, or `npm start -w
 * examples/merchant-*`), on a free loopback port instead. Like the examples it verifies each
 * delivery with @paygate/webhook-verify against the raw body, and answers 200 or the
 * verification's status.
 */
export async function startWebhookReceiver(secret: string) {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void verifyWebhook(Buffer.concat(chunks), req.headers, secret).then(
        (event) => {
          deliveries.push({ verified: true, event });
          res.writeHead(200).end('OK');
        },
        (error: unknown) => {
          deliveries.push({ verified: false, reason: isWebhookVerificationError(error) ? error.reason : String(error) });
          res.writeHead(isWebhookVerificationError(error) ? error.status : 500).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    /** Replaces the README's receiver address with this one. */
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

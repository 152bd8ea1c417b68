import Fastify, { type FastifyInstance } from 'fastify';
import { isWebhookVerificationError, verifyWebhook } from '@paygate/webhook-verify';
import { WebhookInbox } from './inbox.js';
import { PaymentBook, createEventProcessor } from './process-event.js';

/** What the receiver needs; every field has a default so `buildServer()` runs as is. */
export interface ReceiverOptions {
  /** The endpoint's webhook secret, or [new, old] during a rotation. Default: PAYGATE_WEBHOOK_SECRET or the dev seed's. */
  secret?: string | readonly string[];
  /** Where verified events go. Default: an inbox that feeds the example's event processor. */
  inbox?: WebhookInbox;
  /** Fastify's logger option; off by default in tests, on in main.ts. */
  logger?: boolean;
}

/** The dev seed's webhook secret (`pg-cli dev`). */
export const SEED_WEBHOOK_SECRET = 'whsec_test_abc123';

/** A Fastify instance with `POST /webhook`, not yet listening (fastify docs, Guides/Testing). */
export function buildServer(options: ReceiverOptions = {}): FastifyInstance {
  const secret = options.secret ?? process.env['PAYGATE_WEBHOOK_SECRET'] ?? SEED_WEBHOOK_SECRET;
  const app = Fastify({ logger: options.logger ?? false });
  const inbox = options.inbox ?? new WebhookInbox(createEventProcessor(new PaymentBook(), (line) => app.log.info(line)));

  // An encapsulated plugin: inside it JSON bodies stay strings (the signature covers the exact
  // bytes Paygate sent); routes registered outside keep Fastify's normal JSON parser.
  void app.register(async (webhooks) => {
    webhooks.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    webhooks.post('/webhook', async (request, reply) => {
      try {
        const event = await verifyWebhook(request.body as string, request.headers, secret);
        const fresh = inbox.accept(event);
        // 2xx for duplicates too: the event was handled, and anything else makes Paygate retry.
        return { received: true, duplicate: !fresh };
      } catch (error) {
        if (!isWebhookVerificationError(error)) throw error;
        // The hint stays in our log; the sender only learns the reason code.
        request.log.warn({ reason: error.reason }, error.message);
        return reply.code(error.status).send({ error: error.reason });
      }
    });
  });
  app.get('/healthz', async () => ({ ok: true }));
  app.addHook('onClose', async () => inbox.drain());
  return app;
}

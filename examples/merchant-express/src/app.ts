import express, { type Express } from 'express';
import { isWebhookVerificationError, verifyWebhook } from '@paygate/webhook-verify';
import { WebhookInbox } from './inbox.js';
import { PaymentBook, createEventProcessor } from './process-event.js';

/** What the receiver needs; every field has a default so `createApp()` runs as is. */
export interface ReceiverOptions {
  /** The endpoint's webhook secret, or [new, old] during a rotation. Default: PAYGATE_WEBHOOK_SECRET or the dev seed's. */
  secret?: string | readonly string[];
  /** Where verified events go. Default: an inbox that feeds the example's event processor. */
  inbox?: WebhookInbox;
  log?: (line: string) => void;
}

/** The dev seed's webhook secret (`pg-cli dev`). */
export const SEED_WEBHOOK_SECRET = 'whsec_test_abc123';

/** An Express app with `POST /webhook`, not yet listening. */
export function createApp(options: ReceiverOptions = {}): Express {
  const secret = options.secret ?? process.env['PAYGATE_WEBHOOK_SECRET'] ?? SEED_WEBHOOK_SECRET;
  const log = options.log ?? console.log;
  const inbox = options.inbox ?? new WebhookInbox(createEventProcessor(new PaymentBook(), log));

  const app = express();
  // express.raw, not express.json, and only on this route: the signature covers the exact
  // bytes Paygate sent, which a parse-and-serialize round trip does not promise to keep.
  app.post('/webhook', express.raw({ type: 'application/json', limit: '1mb' }), async (req, res) => {
    try {
      const event = await verifyWebhook(req.body as Buffer, req.headers, secret);
      const fresh = inbox.accept(event);
      // 2xx for duplicates too: the event was handled, and anything else makes Paygate retry.
      res.status(200).json({ received: true, duplicate: !fresh });
    } catch (error) {
      if (!isWebhookVerificationError(error)) throw error;
      // The hint stays in our log; the sender only learns the reason code.
      log(`webhook rejected: ${error.message}`);
      res.status(error.status).json({ error: error.reason });
    }
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

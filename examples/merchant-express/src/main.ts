// `npm start`: the receiver on PORT (default 4000), verifying with PAYGATE_WEBHOOK_SECRET
// (default: the dev seed's whsec_test_abc123).
import { createApp } from './app.js';
import { WebhookInbox } from './inbox.js';
import { PaymentBook, createEventProcessor } from './process-event.js';

const port = Number(process.env['PORT'] ?? 4000);
const inbox = new WebhookInbox(createEventProcessor(new PaymentBook()));
const server = createApp({ inbox }).listen(port, () => {
  console.log(`merchant-express: POST http://localhost:${port}/webhook`);
});

// Finish accepted events before exiting: they were acknowledged, so Paygate will not resend them.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void inbox.drain().then(() => process.exit(0));
  });
}

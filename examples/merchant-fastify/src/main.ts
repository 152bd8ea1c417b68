// `npm start`: the receiver on PORT (default 4000), verifying with PAYGATE_WEBHOOK_SECRET
// (default: the dev seed's whsec_test_abc123).
import { buildServer } from './app.js';

const port = Number(process.env['PORT'] ?? 4000);
const app = buildServer({ logger: true });
await app.listen({ port, host: '0.0.0.0' });

// close() runs the onClose hook, which finishes accepted events: they were acknowledged, so
// Paygate will not resend them.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}

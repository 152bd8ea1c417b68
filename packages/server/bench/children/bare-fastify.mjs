// The HTTP ceiling: a bare Fastify app with one POST route that parses a JSON body like an order's
// and answers a JSON object like an order (no auth, no database). Prints "ready <port>".
import Fastify from 'fastify';

const app = Fastify({ logger: false });
let n = 0;
app.post('/api/v1/orders', async (request, reply) => {
  const { amount, currency } = request.body;
  n += 1;
  return reply.code(201).send({ id: `order_${n.toString().padStart(16, '0')}`, amount, currency, status: 'created', created_at: new Date().toISOString() });
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`ready ${app.server.address().port}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));

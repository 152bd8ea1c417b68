// Client CPU per webhook-sized POST (≈ 400 bytes of JSON, the headers a delivery carries) to a
// keep-alive node:http receiver in a child process, 16 in flight: the webhook sender's HTTP/1.1
// pool against undici's request API as the sender used it (an AbortSignal.timeout per request,
// the body read through its stream). Needs `npm run build`:
//   node packages/server/bench/micro/webhook-post.mjs 20000
// Prints µs of this process's CPU per request for each client, three rounds alternated; the
// receiver's CPU is not counted (it is the same for both).
import { fork } from 'node:child_process';
import { Agent, request } from 'undici';
import { createHttp1Pool } from '../../dist/adapters/webhook-sender/http1-pool.js';

if (process.argv[2] === 'receiver') {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('OK'));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else {
  const n = Number(process.argv[2] ?? 20_000);
  const inFlight = 16;
  const receiver = fork(new URL(import.meta.url).pathname, ['receiver']);
  const port = await new Promise((resolve) => receiver.once('message', resolve));
  const url = new URL(`http://127.0.0.1:${port}/webhook`);
  const now = new Date().toISOString();
  const body = JSON.stringify({
    id: 'evt_0123456789abcdef',
    type: 'payment.success',
    created_at: now,
    data: {
      payment: {
        id: 'pay_0123456789abcdef',
        order_id: 'order_0123456789ab',
        amount: 50000,
        currency: 'INR',
        method: 'upi',
        vpa: 'success@paygate',
        status: 'success',
        created_at: now,
        updated_at: now,
      },
    },
  });
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Paygate-Webhooks/0.1',
    'x-webhook-signature': 'f'.repeat(64),
    'webhook-id': 'evt_0123456789abcdef',
    'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
    'webhook-signature': `v1,${'A'.repeat(44)}`,
  };

  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const pool = createHttp1Pool({ idleMs: 10_000, bodyLimit: 4096 });
  const clients = {
    async undici() {
      const res = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: agent,
        signal: AbortSignal.timeout(10_000),
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      const decoder = new TextDecoder('utf-8');
      let text = '';
      for await (const chunk of res.body) text += decoder.decode(chunk, { stream: true });
      return res.statusCode;
    },
    async http1Pool() {
      const res = await pool.post(url, headers, body, 10_000);
      res.body.toString('utf8');
      return res.statusCode;
    },
  };

  const run = async (send) => {
    let sent = 0;
    const cpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (sent < n) {
          sent += 1;
          if ((await send()) !== 200) throw new Error('the receiver did not answer 200');
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / n;
  };

  for (let round = 1; round <= 3; round += 1) {
    const line = [];
    for (const [name, send] of Object.entries(clients)) line.push(`${name} ${(await run(send)).toFixed(1)} µs`);
    console.log(`round ${round}: ${line.join(', ')}`);
  }
  pool.close();
  await agent.close();
  receiver.kill();
}

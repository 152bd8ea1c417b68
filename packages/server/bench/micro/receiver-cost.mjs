// The bench's webhook receiver's CPU per webhook: it plays the merchant's server on the cores it
// shares with the gateway, so its cost is in every run's CPU per payment (the "bench" column).
// The receiver runs in a child process of its own, so that its CPU is apart from the sender's (in
// a run it shares the bench's process with the load generator); this process posts signed
// payment.success webhooks to it through the gateway's own webhook sender (its HTTP/1.1 pool,
// 16 in flight, keep-alive), and the child reports its CPU over them. Needs `npm run build`:
//   node packages/server/bench/micro/receiver-cost.mjs [webhooks, 20000] [receiver module]
// The second argument compares another receiver (an older version's receiver.mjs, say).
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createHttp1Pool } from '../../dist/adapters/webhook-sender/http1-pool.js';

const ROUNDS = 3;

if (process.argv[2] === 'receiver') {
  const { startReceiver } = await import(process.argv[3]);
  const receiver = await startReceiver();
  let cpu;
  process.on('message', (message) => {
    if (message === 'start') {
      cpu = process.cpuUsage();
      process.send('started');
    } else {
      const used = process.cpuUsage(cpu);
      process.send({ cpuMs: (used.user + used.system) / 1000, counts: { ...receiver.counts } });
    }
  });
  process.send({ url: receiver.url });
} else {
  const n = Number(process.argv[2] ?? 20_000);
  const module = process.argv[3] ?? fileURLToPath(new URL('../lib/receiver.mjs', import.meta.url));
  const child = fork(fileURLToPath(import.meta.url), ['receiver', module]);
  const ask = (message) => new Promise((resolve) => (child.once('message', resolve), message && child.send(message)));
  const url = new URL((await ask()).url);
  const secret = (await import(module)).WEBHOOK_SECRET;
  const pool = createHttp1Pool({ idleMs: 10_000, bodyLimit: 4096 });
  const now = new Date().toISOString();
  // A payment.success as the gateway sends it, each a new payment (the receiver keeps every id).
  const webhooks = (round) =>
    Array.from({ length: n }, (_, i) => {
      const id = `pay_${round}_${String(i).padStart(12, '0')}`;
      const body = JSON.stringify({
        event: 'payment.success',
        timestamp: now,
        data: {
          payment: {
            id,
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
        'x-webhook-signature': createHmac('sha256', secret).update(body).digest('hex'),
        'webhook-id': `evt_${id}`,
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': `v1,${'A'.repeat(44)}`,
      };
      return { headers, body };
    });

  for (let round = 0; round < ROUNDS; round += 1) {
    const toSend = webhooks(round);
    let next = 0;
    await ask('start');
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < n) {
          const { headers, body } = toSend[next++];
          const res = await pool.post(url, headers, body, 10_000);
          if (res.statusCode !== 200) throw new Error(`the receiver answered ${res.statusCode}`);
        }
      }),
    );
    const { cpuMs, counts } = await ask('stop');
    if (counts.bad_signatures > 0 || counts.received !== n * (round + 1)) throw new Error(`receiver counts: ${JSON.stringify(counts)}`);
    console.log(`round ${round + 1}: ${((cpuMs * 1000) / n).toFixed(1)} µs of the receiver's CPU per webhook (${n} webhooks)`);
  }
  pool.close();
  child.kill();
}

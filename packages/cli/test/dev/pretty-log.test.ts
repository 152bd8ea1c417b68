import { createLogger } from '@paygate/server';
import { describe, expect, it } from 'vitest';
import { paintWith } from '../../src/dev/paint.js';
import { PrettyLogStream } from '../../src/dev/pretty-log-stream.js';

// Records exactly as `LOG_LEVEL=debug pg-cli dev --json` printed them (pino + Fastify), trimmed of nothing.
const RECORDS = {
  incomingPut:
    '{"level":30,"time":1795984613813,"pid":20539,"reqId":"0b8c","req":{"method":"PUT","url":"/api/v1/webhooks/config","host":"127.0.0.1:38456","remoteAddress":"127.0.0.1","remotePort":38966},"msg":"incoming request"}',
  completedPut:
    '{"level":30,"time":1795984613849,"pid":20539,"reqId":"0b8c","res":{"statusCode":200},"responseTime":31.964593999999124,"msg":"request completed"}',
  incoming404:
    '{"level":30,"time":1795984617687,"pid":20539,"reqId":"f246","req":{"method":"GET","url":"/api/v1/orders/order_nope","host":"127.0.0.1:38456","remoteAddress":"127.0.0.1","remotePort":39000},"msg":"incoming request"}',
  problem404:
    '{"level":30,"time":1795984617688,"pid":20539,"reqId":"f246","code":"NOT_FOUND_ERROR","field":"id","msg":"No order order_nope for this merchant."}',
  completed404:
    '{"level":30,"time":1795984617701,"pid":20539,"reqId":"f246","res":{"statusCode":404},"responseTime":14.054683000000296,"msg":"request completed"}',
  attempt:
    '{"level":20,"time":1795984614420,"pid":20539,"deliveryId":"whd_y1Lly1BwUdNhQIN7","eventId":"evt_y1Lly1BwUdNhQIN7","eventType":"payment.created","attempt":1,"outcome":"retry","statusCode":500,"latencyMs":241,"msg":"webhook attempt"}',
  paymentSettled:
    '{"level":20,"time":1795984615129,"pid":20539,"paymentId":"pay_b0xX19fX01Y2QkuD","status":"success","amount":50000,"currency":"INR","method":"upi","msg":"payment settled"}',
  refundSettled:
    '{"level":20,"time":1795984618652,"pid":20539,"refundId":"rfnd_IqR78iN9vOghG4ud","paymentId":"pay_b0xX19fX01Y2QkuD","status":"processed","amount":100,"currency":"INR","msg":"refund settled"}',
  migrated: `{"level":30,"time":1795984612650,"pid":20539,"migrations":${JSON.stringify(Array.from({ length: 15 }, (_, i) => `m${i}`))},"msg":"database migrated"}`,
  listening: '{"level":30,"time":1795984613121,"pid":20539,"msg":"Server listening at http://127.0.0.1:38456"}',
};

/** A terminal-like sink: what was written, and a width. */
function sink(columns = 120) {
  const chunks: string[] = [];
  return { columns, chunks, write: (s: string) => chunks.push(s) > 0, text: () => chunks.join('') };
}

function prettyOf(lines: string[], options: { redraw?: boolean; columns?: number } = {}) {
  const out = sink(options.columns);
  const stream = new PrettyLogStream(out as unknown as NodeJS.WritableStream, paintWith(false), options.redraw ?? false);
  for (const line of lines) stream.write(`${line}\n`);
  return {
    out,
    stream,
    lines: out
      .text()
      .split('\n')
      .filter((l) => l !== ''),
  };
}

const TIME = '\\d\\d:\\d\\d:\\d\\d';

describe('the human-readable dev log', () => {
  it('prints one line per request, method, path, status and ms, once it completes', () => {
    const { lines } = prettyOf([RECORDS.incomingPut]);
    expect(lines).toEqual([]); // nothing until the request completes
    const done = prettyOf([RECORDS.incomingPut, RECORDS.completedPut]);
    expect(done.lines).toHaveLength(1);
    expect(done.lines[0]).toMatch(new RegExp(`^${TIME} PUT    /api/v1/webhooks/config 200 32 ms$`));
  });

  it("puts a 4xx's code, reason and field on the request's own line", () => {
    const { lines } = prettyOf([RECORDS.incoming404, RECORDS.problem404, RECORDS.completed404]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/GET {4}\/api\/v1\/orders\/order_nope 404 14 ms NOT_FOUND_ERROR: No order order_nope for this merchant\. \(id\)$/);
  });

  it('prints settlements with the amount in major units, and webhook attempts with status, latency and outcome', () => {
    const { lines } = prettyOf([RECORDS.paymentSettled, RECORDS.refundSettled, RECORDS.attempt]);
    expect(lines[0]).toMatch(new RegExp(`^${TIME} payment pay_b0xX19fX01Y2QkuD success ₹500.00 upi$`));
    expect(lines[1]).toMatch(/refund {2}rfnd_IqR78iN9vOghG4ud processed ₹1.00 for pay_b0xX19fX01Y2QkuD$/);
    expect(lines[2]).toMatch(/webhook payment.created whd_y1Lly1BwUdNhQIN7 attempt 1 → 500 241 ms retry$/);
  });

  it('shortens what the banner already says or what would flood a line, and keeps anything else as level, message and fields', () => {
    const error = JSON.stringify({
      level: 50,
      time: 1795984613121,
      pid: 1,
      err: { message: 'boom', stack: 'Error: boom\n    at here' },
      queue: 'payments',
      msg: 'job failed',
    });
    const { lines } = prettyOf([RECORDS.listening, RECORDS.migrated, error, 'a plain line from a library']);
    expect(lines[0]).toMatch(/database migrated migrations=\[15 items\]$/);
    expect(lines[1]).toMatch(/ERROR job failed queue=payments err=boom$/);
    expect(lines[2]).toBe('Error: boom');
    expect(lines[3]).toBe('    at here');
    expect(lines[4]).toBe('a plain line from a library');
    expect(lines.join('\n')).not.toContain('Server listening');
  });

  it('reassembles records split across writes', () => {
    const out = sink();
    const stream = new PrettyLogStream(out as unknown as NodeJS.WritableStream, paintWith(false), false);
    const both = `${RECORDS.paymentSettled}\n${RECORDS.refundSettled}\n`;
    stream.write(both.slice(0, 50));
    stream.write(both.slice(50, 190));
    stream.write(both.slice(190));
    expect(out.text().split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('on a terminal, folds a poll that repeats one of the request lines just printed into a count; elsewhere prints every line', () => {
    const poll = (id: string, path: string) => [
      RECORDS.incomingPut.replace('"0b8c"', `"${id}"`).replace('PUT', 'GET').replace('/api/v1/webhooks/config', path),
      RECORDS.completedPut.replace('"0b8c"', `"${id}"`),
    ];
    const polls = [
      ...poll('a', '/api/v1/test/jobs/status'),
      ...poll('b', '/api/v1/webhooks'),
      ...poll('c', '/api/v1/test/jobs/status'),
      ...poll('d', '/api/v1/webhooks'),
    ];

    const plain = prettyOf(polls);
    expect(plain.lines).toHaveLength(4);

    const terminal = prettyOf(polls, { redraw: true });
    // The last redraw moves up over the two-line block and prints it again with the counts
    expect(terminal.out.chunks).toContain('\u001B[2F\u001B[0J');
    const lastDraw = terminal.out.text().split('\u001B[2F\u001B[0J').at(-1)!.split('\n').filter(Boolean);
    expect(lastDraw).toHaveLength(2);
    expect(lastDraw[0]).toMatch(/GET {4}\/api\/v1\/test\/jobs\/status 200 32 ms ×2$/);
    expect(lastDraw[1]).toMatch(/GET {4}\/api\/v1\/webhooks 200 32 ms ×2$/);

    // A write is never folded: each one made something
    const writes = prettyOf([RECORDS.incomingPut, RECORDS.completedPut, RECORDS.incomingPut, RECORDS.completedPut], { redraw: true });
    expect(writes.lines).toHaveLength(2);
    expect(writes.out.text()).not.toContain('\u001B[');

    // And something else printed ends the fold: the next poll is a new line
    terminal.stream.write(`${RECORDS.paymentSettled}\n`);
    const before = terminal.out.chunks.length;
    for (const line of poll('e', '/api/v1/webhooks')) terminal.stream.write(`${line}\n`);
    expect(terminal.out.chunks.slice(before).join('')).not.toContain('\u001B[');
  });

  it('is a destination pino writes to (the logger the gateway makes)', () => {
    const out = sink();
    const log = createLogger(
      'debug',
      new PrettyLogStream(out as unknown as NodeJS.WritableStream, paintWith(false), false) as unknown as NodeJS.WritableStream,
    );
    log.debug({ paymentId: 'pay_x', status: 'failed', amount: 1234, currency: 'INR', method: 'card' }, 'payment settled');
    expect(out.text()).toMatch(/payment pay_x failed ₹12.34 card\n$/);
  });
});

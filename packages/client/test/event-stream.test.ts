import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayUnreachableError, PaygateApiError, PaygateRestClient, type EventEnvelope } from '@paygate/client';
import { startTcpProxy, throughProxy } from '../../server/test/helpers/tcp-proxy.js';
import { seedConnection, startListeningGateway } from './helpers/listening-gateway.js';

/** Takes events from an iterator until `count` arrived (then leaves it open for more). */
async function take(events: AsyncIterator<EventEnvelope>, count: number): Promise<EventEnvelope[]> {
  const out: EventEnvelope[] = [];
  while (out.length < count) {
    const next = await events.next();
    if (next.done) throw new Error(`the stream ended after ${out.length} of ${count} events`);
    out.push(next.value);
  }
  return out;
}

describe('the event stream', () => {
  let gateway: Awaited<ReturnType<typeof startListeningGateway>>;
  let paygate: PaygateRestClient;
  /** A UPI payment that succeeds: three events (created, pending, success). */
  const pay = async () => {
    const order = await paygate.orders.create({ amount: 1000, currency: 'INR' });
    return paygate.payments.create({ order_id: order.id, method: 'upi', vpa: 'success@paygate' });
  };

  beforeAll(async () => {
    gateway = await startListeningGateway();
    paygate = new PaygateRestClient(seedConnection(gateway.url));
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('yields event envelopes live, and resumes after lastEventId with nothing missed or repeated', async () => {
    let opened = false;
    const first = paygate.events.stream({ onOpen: () => (opened = true) })[Symbol.asyncIterator]();
    const pending = first.next(); // connects
    await expect.poll(() => opened).toBe(true); // events from now on are delivered
    const payment = await pay();
    const seen = [(await pending).value as EventEnvelope, ...(await take(first, 2))];
    expect(seen.map((e) => e.event)).toEqual(['payment.created', 'payment.pending', 'payment.success']);
    expect(seen[0]).toMatchObject({ id: expect.stringMatching(/^evt_/), data: { payment: { id: payment.id } } });
    await first.return?.(); // the client goes away

    const missed = await pay(); // while nobody listens
    const resumed = paygate.events.stream({ lastEventId: seen[2]!.id })[Symbol.asyncIterator]();
    const replayed = await take(resumed, 3);
    await resumed.return?.();
    expect(replayed.map((e) => (e.data['payment'] as { id: string }).id)).toEqual([missed.id, missed.id, missed.id]);
    expect(replayed.map((e) => e.event)).toEqual(['payment.created', 'payment.pending', 'payment.success']);
  });

  it('filters by type, and ends quietly when the signal aborts', async () => {
    const controller = new AbortController();
    const received: EventEnvelope[] = [];
    const reading = (async () => {
      for await (const event of paygate.events.stream({ types: ['payment.success'], signal: controller.signal })) {
        received.push(event);
        controller.abort();
      }
    })();
    await expect.poll(async () => (await pay(), received.length), { timeout: 10_000 }).toBeGreaterThan(0);
    await reading; // returns, does not throw
    expect(received.map((e) => e.event)).toEqual(['payment.success']);
  });

  it('a bad types filter is a PaygateApiError with the field', async () => {
    const events = paygate.events.stream({ types: ['payment.nope'] })[Symbol.asyncIterator]();
    await expect(events.next()).rejects.toMatchObject({ status: 400, code: 'BAD_REQUEST_ERROR', field: 'types' });
    await expect(
      paygate.events
        .stream({ types: ['payment.nope'] })
        [Symbol.asyncIterator]()
        .next(),
    ).rejects.toBeInstanceOf(PaygateApiError);
  });

  it('a stream cut mid-way throws GatewayUnreachableError; follow() reconnects and resumes where it was', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(gateway.url).port) });
    const viaProxy = new PaygateRestClient(seedConnection(throughProxy(gateway.url, proxy.port)));
    try {
      // One connection: the cut ends it with an error.
      let opened = 0;
      const once = viaProxy.events.stream({ onOpen: () => (opened += 1) })[Symbol.asyncIterator]();
      const next = once.next();
      await expect.poll(() => opened).toBe(1);
      proxy.cut();
      await expect(next).rejects.toBeInstanceOf(GatewayUnreachableError);

      // follow(): the same cut is only a reconnection, announced, with Last-Event-ID.
      const controller = new AbortController();
      const reconnects: unknown[] = [];
      const followed = viaProxy.events
        .follow({ signal: controller.signal, onReconnect: ({ error }) => reconnects.push(error), onOpen: () => (opened += 1) })
        [Symbol.asyncIterator]();
      const firstEvent = followed.next();
      await expect.poll(() => opened).toBe(2);
      const before = await pay();
      const head = [(await firstEvent).value as EventEnvelope, ...(await take(followed, 2))];
      expect(head.every((e) => (e.data['payment'] as { id: string }).id === before.id)).toBe(true);

      proxy.cut();
      const after = await pay(); // committed while the stream is down
      const tail = await take(followed, 3);
      expect(tail.map((e) => (e.data['payment'] as { id: string }).id)).toEqual([after.id, after.id, after.id]);
      expect(reconnects.length).toBeGreaterThanOrEqual(1);
      expect(reconnects[0]).toBeInstanceOf(GatewayUnreachableError);
      controller.abort();
      expect(await followed.next()).toMatchObject({ done: true });
    } finally {
      await proxy.close();
    }
  });
});

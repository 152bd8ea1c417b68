import { describe, expect, it } from 'vitest';
import { startLineLog } from '../../src/dashboard/line-log.js';
import { aDelivery, aFailingDelivery, anEvent, FakeSource } from './fake-source.js';

function sinks() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, streams: { out: { write: (s: string) => out.push(s) }, err: { write: (s: string) => err.push(s) } } };
}

const queue = { pending: 1, processing: 0, completed: 4, failed: 0, worker_status: 'running', workers: 1 } as const;

describe('the dashboard as a plain line log (stdout not a terminal)', () => {
  it('prints one line per event, per delivery change and per queue change, and news on stderr', () => {
    const source = new FakeSource();
    const { out, err, streams } = sinks();
    const stop = startLineLog(source, { ...streams, json: false });

    // Given what the gateway already had when the log started
    const old = aDelivery({ id: 'whd_old' });
    source.send({ type: 'gateway', gateway: { url: 'http://127.0.0.1:8000', mode: 'test' } }, { type: 'deliveries', deliveries: [old] });
    expect(out).toEqual([]); // the past is not replayed
    expect(err.join('')).toContain('Watching http://127.0.0.1:8000 (test mode)');

    // When an event, a new failing attempt, the same state again and queue counts arrive
    source.send(
      { type: 'event', event: anEvent({ payment: { id: 'pay_live' } }) },
      { type: 'deliveries', deliveries: [aFailingDelivery('whd_new', 1, 'pending', '2026-11-29T20:00:05.000Z'), old] },
      { type: 'deliveries', deliveries: [aFailingDelivery('whd_new', 1, 'pending', '2026-11-29T20:00:05.000Z'), old] },
      { type: 'queue', queue },
      { type: 'queue', queue },
      { type: 'problem', message: 'The gateway at http://127.0.0.1:8000 did not answer (ECONNREFUSED).' },
    );

    // Then each change is one line, and nothing repeats
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d payment.success pay_live ₹500.00 success upi\n$/);
    expect(out[1]).toMatch(/delivery whd_new payment.success retrying attempt 1 → 500 20 ms \{"error":"receiver down 1"\}\n$/);
    expect(out[2]).toMatch(/queue pending 1 processing 0 completed 4 failed 0 · worker running \(1\)\n$/);
    expect(err.join('')).toContain('did not answer (ECONNREFUSED)');

    stop();
    expect(source.subscribers).toBe(0);
  });

  it('with --json prints the REST objects, one per line', () => {
    const source = new FakeSource();
    const { out, streams } = sinks();
    startLineLog(source, { ...streams, json: true });
    const event = anEvent({ id: 'evt_json' });
    source.send({ type: 'deliveries', deliveries: [] }, { type: 'event', event }, { type: 'deliveries', deliveries: [aDelivery({ id: 'whd_json' })] });
    expect(out.map((l) => JSON.parse(l))).toEqual([event, expect.objectContaining({ id: 'whd_json', entity: 'webhook_delivery' })]);
  });
});

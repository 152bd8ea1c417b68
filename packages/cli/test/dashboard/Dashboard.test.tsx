import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '../../src/dashboard/Dashboard.js';
import { aDelivery, aFailingDelivery, anEvent, FakeSource } from './fake-source.js';

const DOWN = '\u001B[B';
const UP = '\u001B[A';

const mounted: Array<{ unmount: () => void }> = [];
function renderDashboard() {
  const source = new FakeSource();
  const view = render(<Dashboard source={source} />);
  mounted.push(view);
  const resize = (columns: number, rows: number) => {
    Object.defineProperty(view.stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(view.stdout, 'rows', { value: rows, configurable: true });
    view.stdout.emit('resize');
  };
  // A roomy terminal, so the detail panel has space for attempts and payload
  resize(100, 40);
  return { source, ...view, resize, frame: () => view.lastFrame() ?? '' };
}
afterEach(() => {
  for (const view of mounted.splice(0)) view.unmount();
});

const gateway = { type: 'gateway', gateway: { url: 'http://127.0.0.1:8123', mode: 'test' } } as const;
const queue = (pending: number, completed: number) =>
  ({ type: 'queue', queue: { pending, processing: 1, completed, failed: 0, worker_status: 'running', workers: 1 } }) as const;

// Three deliveries, newest first on screen: a retrying one, a given-up one and a delivered one.
const retrying = aFailingDelivery('whd_retrying000000001', 2, 'pending', '2026-11-29T20:00:03.000Z');
const failed = aFailingDelivery('whd_failed00000000001', 5, 'failed', '2026-11-29T20:00:02.000Z');
const delivered = aDelivery({ id: 'whd_delivered00000001', created_at: '2026-11-29T20:00:01.000Z' });

describe('Dashboard (ink-testing-library, injected source)', () => {
  it('shows the gateway, its mode, the worker status and live queue counts as the source sends them', async () => {
    // Given a dashboard on a fake source
    const { source, frame } = renderDashboard();
    await vi.waitFor(() => expect(source.subscribers).toBe(1));

    // When the source reports the gateway and its queue
    source.send(gateway, queue(3, 10), { type: 'connection', connection: { state: 'live' } });

    // Then the header says so
    await vi.waitFor(() => expect(frame()).toContain('http://127.0.0.1:8123'));
    expect(frame()).toContain('test mode');
    expect(frame()).toContain('worker running (1)');
    expect(frame()).toContain('stream live');
    expect(frame()).toMatch(/pending 3\s+processing 1\s+completed 10\s+failed 0/);

    // And new counts replace the old ones
    source.send(queue(0, 13));
    await vi.waitFor(() => expect(frame()).toMatch(/pending 0\s+processing 1\s+completed 13/));
  });

  it('lists payments from the event stream, newest first, with the amount in major units', async () => {
    const { source, frame } = renderDashboard();
    await vi.waitFor(() => expect(source.subscribers).toBe(1));
    source.send(
      { type: 'event', event: anEvent({ id: 'evt_a', event: 'payment.pending', payment: { id: 'pay_first', status: 'pending' } }) },
      { type: 'event', event: anEvent({ id: 'evt_b', event: 'payment.success', payment: { id: 'pay_second', amount: 12345 } }) },
    );
    await vi.waitFor(() => expect(frame()).toContain('pay_second'));
    const lines = frame().split('\n');
    const second = lines.findIndex((l) => l.includes('pay_second'));
    const first = lines.findIndex((l) => l.includes('pay_first'));
    expect(second).toBeLessThan(first);
    expect(lines[second]).toContain('₹123.45');
    expect(lines[first]).toContain('payment.pending');
    expect(frame()).toContain('2 events');
  });

  it('selects deliveries with the arrow keys and shows the attempts and payload of the selected one', async () => {
    const { source, stdin, frame } = renderDashboard();
    await vi.waitFor(() => expect(source.subscribers).toBe(1));
    source.send({ type: 'deliveries', deliveries: [delivered, failed, retrying] });

    // The newest is selected at first
    await vi.waitFor(() => expect(frame()).toContain('Delivery whd_retrying000000001'));
    expect(frame()).toContain('retrying after 2 attempts');

    // When ↓ is pressed, then the next one is selected: every attempt with status, latency and response
    stdin.write(DOWN);
    await vi.waitFor(() => expect(frame()).toContain('Delivery whd_failed00000000001'));
    const detail = frame().slice(frame().indexOf('Delivery whd_failed'));
    expect(detail).toContain('failed after 5 attempts');
    expect(detail).toMatch(/5 \d\d:\d\d:\d\d 500\s+24 ms {"error":"receiver down 5"}/);
    expect(detail).toContain('Payload (evt_0000000000000001)');
    expect(detail).toContain('"event": "payment.success"');
    expect(frame()).toMatch(/› .*whd_failed00000000001/);

    // And ↓ then ↑ comes back to it; ↓ twice reaches the last, and stops there
    stdin.write(DOWN);
    await vi.waitFor(() => expect(frame()).toContain('Delivery whd_delivered00000001'));
    stdin.write(DOWN);
    stdin.write(UP);
    await vi.waitFor(() => expect(frame()).toContain('Delivery whd_failed00000000001'));
  });

  it('keeps the selection on the same delivery when newer deliveries arrive above it', async () => {
    const { source, stdin, frame } = renderDashboard();
    await vi.waitFor(() => expect(source.subscribers).toBe(1));
    source.send({ type: 'deliveries', deliveries: [failed, delivered] });
    await vi.waitFor(() => expect(frame()).toContain('Delivery whd_failed00000000001'));
    stdin.write(DOWN);
    await vi.waitFor(() => expect(frame()).toContain('Delivery whd_delivered00000001'));
    source.send({ type: 'deliveries', deliveries: [retrying] });
    await vi.waitFor(() => expect(frame()).toContain('whd_retrying000000001'));
    expect(frame()).toContain('Delivery whd_delivered00000001');
  });

  it('f shows only failing deliveries (given up or retrying), and f again shows all', async () => {
    const { source, stdin, frame } = renderDashboard();
    await vi.waitFor(() => expect(source.subscribers).toBe(1));
    source.send({ type: 'deliveries', deliveries: [delivered, failed, retrying] });
    await vi.waitFor(() => expect(frame()).toContain('whd_delivered00000001'));

    stdin.write('f');
    await vi.waitFor(() => expect(frame()).toContain('Failing deliveries (2)'));
    expect(frame()).not.toContain('whd_delivered00000001');
    expect(frame()).toContain('whd_failed00000000001');
    expect(frame()).toContain('whd_retrying000000001');

    stdin.write('f');
    await vi.waitFor(() => expect(frame()).toContain('Webhook deliveries (3)'));
    expect(frame()).toContain('whd_delivered00000001');
  });

  it('r retries the selected delivery through the source and shows the answer; a refusal shows as one line', async () => {
    const { source, stdin, frame } = renderDashboard();
    await vi.waitFor(() => expect(source.subscribers).toBe(1));
    source.send({ type: 'deliveries', deliveries: [delivered, failed, retrying] });
    stdin.write('f');
    await vi.waitFor(() => expect(frame()).toContain('Failing deliveries'));
    stdin.write(DOWN);
    await vi.waitFor(() => expect(frame()).toContain('Delivery whd_failed00000000001'));

    // When r is pressed, then the source is asked to retry exactly the selected delivery
    stdin.write('r');
    await vi.waitFor(() => expect(source.retried).toEqual(['whd_failed00000000001']));
    await vi.waitFor(() => expect(frame()).toContain('whd_failed00000000001: Webhook retry scheduled'));

    // And the new attempt shows once the source reports it
    const retried = aFailingDelivery('whd_failed00000000001', 6, 'pending', failed.created_at);
    source.send({ type: 'deliveries', deliveries: [retried] });
    await vi.waitFor(() => expect(frame()).toContain('retrying after 6 attempts'));
    expect(frame()).toContain('{"error":"receiver down 6"}');

    // A refused retry says why, in one line
    source.retryError = 'BAD_REQUEST_ERROR: Webhook delivery whd_failed00000000001 is pending: it is already scheduled. (id)';
    stdin.write('r');
    await vi.waitFor(() => expect(frame()).toContain('is pending: it is already scheduled'));
    expect(source.retried).toHaveLength(2);
  });

  it('q quits: the app exits and the source is unsubscribed', async () => {
    const source = new FakeSource();
    const view = render(<Dashboard source={source} />);
    await vi.waitFor(() => expect(source.subscribers).toBe(1));
    source.send(gateway);
    await vi.waitFor(() => expect(view.lastFrame()).toContain('test mode'));
    view.stdin.write('q');
    await vi.waitFor(() => expect(source.subscribers).toBe(0));
    // Under CI=true lastFrame() is blank after exit (STACK.md); the frames keep what was shown.
    expect(view.frames.some((f) => f.includes('q quit'))).toBe(true);
  });

  it('resizes with the terminal: wide lists stand side by side, narrow ones stack, no line wider than the screen', async () => {
    const { source, resize, frame } = renderDashboard();
    await vi.waitFor(() => expect(source.subscribers).toBe(1));
    source.send(gateway, { type: 'deliveries', deliveries: [failed] }, { type: 'event', event: anEvent() });

    resize(140, 30);
    await vi.waitFor(() =>
      expect(
        frame()
          .split('\n')
          .some((l) => l.includes('Payments & refunds') && l.includes('Webhook deliveries')),
      ).toBe(true),
    );
    expect(
      Math.max(
        ...frame()
          .split('\n')
          .map((l) => l.length),
      ),
    ).toBeLessThanOrEqual(140);
    expect(frame().split('\n').length).toBeLessThanOrEqual(29);

    resize(70, 40);
    await vi.waitFor(() =>
      expect(
        frame()
          .split('\n')
          .some((l) => l.includes('Payments & refunds') && l.includes('Webhook deliveries')),
      ).toBe(false),
    );
    expect(frame()).toContain('Webhook deliveries');
    expect(
      Math.max(
        ...frame()
          .split('\n')
          .map((l) => l.length),
      ),
    ).toBeLessThanOrEqual(70);
    expect(frame().split('\n').length).toBeLessThanOrEqual(39);

    // A short narrow terminal keeps the deliveries and the selected one's detail, and drops the payments list
    resize(60, 20);
    await vi.waitFor(() => expect(frame()).not.toContain('Payments & refunds'));
    expect(frame()).toContain('Webhook deliveries');
    expect(frame()).toContain('Delivery whd_failed00000000001');
    expect(frame().split('\n').length).toBeLessThanOrEqual(19);
  });
});

import { describe, expect, it } from 'vitest';
import { formatDelay, renderHuman, renderJson } from './listen-output.js';
import type { ListenReport } from './listen-session.js';

const forward = (change: Partial<Extract<ListenReport, { type: 'forward' }>> = {}): ListenReport => ({
  type: 'forward',
  time: new Date('2026-11-29T12:03:04.567Z'),
  event: 'payment.success',
  id: 'evt_AbCdEfGhIjKlMnOp',
  attempt: 1,
  outcome: 'delivered',
  statusCode: 200,
  error: null,
  latencyMs: 12,
  nextAttemptAt: undefined,
  retryInMs: undefined,
  ...change,
});

describe('listen output', () => {
  it('one human line per forward: time, event, id, status, latency, and what comes next', () => {
    expect(renderHuman(forward())).toEqual({ stream: 'stdout', text: '12:03:04  payment.success   evt_AbCdEfGhIjKlMnOp  -->  [200]    12 ms' });
    expect(renderHuman(forward({ attempt: 2, outcome: 'retrying', statusCode: 500, retryInMs: 10_000 })).text).toBe(
      '12:03:04  payment.success   evt_AbCdEfGhIjKlMnOp  -->  [500]    12 ms    attempt 2, retry in 10s',
    );
    expect(renderHuman(forward({ attempt: 5, outcome: 'failed', statusCode: null, error: 'ECONNREFUSED' })).text).toBe(
      '12:03:04  payment.success   evt_AbCdEfGhIjKlMnOp  -->  [ECONNREFUSED]  12 ms    attempt 5, failed after 5 attempts',
    );
  });

  it('Ready, and connection news, on stderr', () => {
    const ready = renderHuman({
      type: 'ready',
      forwardTo: 'http://127.0.0.1:4000/webhook',
      secret: 'whsec_test_abc123',
      testMode: true,
      schedule: [5_000, 10_000, 15_000, 20_000],
      resumedAfter: undefined,
      pending: 0,
    });
    expect(ready.stream).toBe('stderr');
    expect(ready.text).toMatch(/^Ready! Forwarding events to http:\/\/127\.0\.0\.1:4000\/webhook \(failed forwards retried after 5s, 10s, 15s, 20s/);
    expect(ready.text).toContain('whsec_test_abc123');
    expect(renderHuman({ type: 'disconnected', reason: 'ECONNREFUSED', retryInMs: 250, attempt: 1, lastEventId: 'evt_1' })).toEqual({
      stream: 'stderr',
      text: "Lost the gateway's event stream (ECONNREFUSED); reconnecting in 250 ms, to resume after evt_1.",
    });
    expect(renderHuman({ type: 'disconnected', reason: 'ECONNREFUSED', retryInMs: 4_000, attempt: 3, lastEventId: 'evt_1' }).text).toBe(
      'Gateway still away (ECONNREFUSED); trying again in 4s.',
    );
    expect(renderHuman({ type: 'stopped', pending: 2 }).text).toBe('Stopped. 2 forwards still owed; the next pg-cli listen delivers them.');
  });

  it('--json: one object per line on stdout, snake_case', () => {
    const line = renderJson(forward({ outcome: 'retrying', statusCode: 500, nextAttemptAt: new Date('2026-11-29T12:03:09.567Z'), retryInMs: 5_000 }));
    expect(line.stream).toBe('stdout');
    expect(JSON.parse(line.text)).toEqual({
      type: 'forward',
      time: '2026-11-29T12:03:04.567Z',
      event: 'payment.success',
      id: 'evt_AbCdEfGhIjKlMnOp',
      attempt: 1,
      outcome: 'retrying',
      status_code: 500,
      error: null,
      latency_ms: 12,
      next_attempt_at: '2026-11-29T12:03:09.567Z',
    });
  });

  it('says delays as people do', () => {
    expect([250, 5_000, 60_000, 90_000, 300_000, 1_800_000, 7_200_000, 9_000_000].map(formatDelay)).toEqual([
      '250 ms',
      '5s',
      '1m',
      '1m 30s',
      '5m',
      '30m',
      '2h',
      '2h 30m',
    ]);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RETRY_SCHEDULES } from '@paygate/core';
import { describe, expect, it, vi } from 'vitest';
import type { ForwardOutcome } from './forward-event.js';
import type { GatewayClock } from './gateway-clock.js';
import { ListenHistory, listenHistoryPath } from './listen-history.js';
import { runListenSession, type FollowEvents, type ListenReport, type ListenSessionOptions, type StreamEnvelope } from './listen-session.js';
import { createSecretSource } from './secret-source.js';

const who = { apiUrl: 'http://127.0.0.1:8000', apiKey: 'key_test_abc123', forwardTo: 'http://127.0.0.1:4000/webhook' };
const envelope = (n: number, event = 'payment.success'): StreamEnvelope => ({ id: `evt_${String(n).padStart(16, '0')}`, event, sequence: n, data: {} });

/** A gateway clock the test moves, as `pg-cli clock advance` moves the gateway's. */
function manualClock(): GatewayClock & { advance: (ms: number) => void } {
  let now = Date.parse('2026-11-29T12:00:00.000Z');
  return { now: () => new Date(now), sync: async () => undefined, advance: (ms) => (now += ms) };
}

/**
 * The event stream, scripted: `open()` a connection, `push()` events on it, `drop()` it (the
 * gateway went away). Records the `lastEventId` of every connection the session opened.
 */
function scriptedStream() {
  const queue: Array<StreamEnvelope | 'open' | { drop: unknown }> = [];
  let wake: (() => void) | undefined;
  const lastEventIds: Array<string | undefined> = [];
  const put = (item: (typeof queue)[number]) => {
    queue.push(item);
    wake?.();
  };
  const follow: FollowEvents = async function* ({ lastEventId, signal, onOpen, onReconnect }) {
    lastEventIds.push(lastEventId);
    let last = lastEventId;
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    while (!signal.aborted) {
      const item = queue.shift();
      if (item === undefined) {
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
        continue;
      }
      if (item === 'open') onOpen();
      else if ('drop' in item) onReconnect({ error: item.drop, delayMs: 250, lastEventId: last });
      else {
        last = item.id;
        yield item;
      }
    }
  };
  return { follow, lastEventIds, open: () => put('open'), push: (e: StreamEnvelope) => put(e), drop: (error: unknown) => put({ drop: error }) };
}

const answer = (statusCode: number | null, error: string | null = null): ForwardOutcome => ({
  ok: statusCode !== null && statusCode < 300,
  statusCode,
  error,
  latencyMs: 3,
  retryAfterMs: undefined,
  responseExcerpt: '',
});

/** A session on a fresh (or given) history; `answers` scripts the receiver, 200 once exhausted. */
async function startSession(options: { answers?: ForwardOutcome[]; history?: string; secrets?: string[]; overrides?: Partial<ListenSessionOptions> } = {}) {
  const path = options.history ?? listenHistoryPath(mkdtempSync(join(tmpdir(), 'listen-session-')), who);
  const history = await ListenHistory.open(path, who);
  const stream = scriptedStream();
  const clock = manualClock();
  const reports: ListenReport[] = [];
  const sent: Array<{ eventId: string; body: string; secret: string }> = [];
  const answers = [...(options.answers ?? [])];
  const secrets = [...(options.secrets ?? ['whsec_one'])];
  const controller = new AbortController();
  const done = runListenSession(
    {
      follow: stream.follow,
      secrets: createSecretSource(async () => (secrets.length > 1 ? secrets.shift()! : secrets[0]!)),
      clock,
      schedule: RETRY_SCHEDULES.test,
      testMode: true,
      history,
      forward: async (request) => {
        sent.push({ eventId: request.eventId, body: request.body, secret: request.secret });
        return answers.shift() ?? answer(200);
      },
      report: (r) => reports.push(r),
      forwardTo: who.forwardTo,
      tickMs: 10,
      ...options.overrides,
    },
    controller.signal,
  );
  const forwards = () => reports.filter((r): r is Extract<ListenReport, { type: 'forward' }> => r.type === 'forward');
  return { path, history, stream, clock, reports, forwards, sent, stop: () => (controller.abort(), done), done };
}

describe('runListenSession', () => {
  it('says Ready once subscribed, forwards each event with the secret, and records it delivered', async () => {
    const s = await startSession();
    s.stream.open();
    await vi.waitFor(() => expect(s.reports[0]).toMatchObject({ type: 'ready', secret: 'whsec_one', testMode: true, resumedAfter: undefined }));

    s.stream.push(envelope(1));
    await vi.waitFor(() => expect(s.forwards()).toHaveLength(1));
    expect(s.forwards()[0]).toMatchObject({ event: 'payment.success', id: envelope(1).id, attempt: 1, outcome: 'delivered', statusCode: 200 });
    expect(s.sent[0]).toEqual({ eventId: envelope(1).id, body: JSON.stringify(envelope(1)), secret: 'whsec_one' });
    await s.stop();
    expect(s.history.get(envelope(1).id)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(s.history.lastEventId).toBe(envelope(1).id);
  });

  it('retries a failed forward on the test gaps of the gateway clock until the receiver takes it', async () => {
    // Given a receiver that answers 500 twice
    const s = await startSession({ answers: [answer(500), answer(500)] });
    s.stream.open();
    s.stream.push(envelope(1));
    await vi.waitFor(() => expect(s.forwards()).toHaveLength(1));
    expect(s.forwards()[0]).toMatchObject({ outcome: 'retrying', statusCode: 500, retryInMs: 5_000 });

    // When the clock reaches the first retry (not before)
    s.clock.advance(4_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.sent).toHaveLength(1);
    s.clock.advance(1_000);
    await vi.waitFor(() => expect(s.forwards()).toHaveLength(2));
    expect(s.forwards()[1]).toMatchObject({ attempt: 2, outcome: 'retrying', retryInMs: 10_000 });
    s.clock.advance(10_000);

    // Then the third attempt is delivered
    await vi.waitFor(() => expect(s.forwards()).toHaveLength(3));
    expect(s.forwards()[2]).toMatchObject({ attempt: 3, outcome: 'delivered', statusCode: 200 });
    await s.stop();
  });

  it('gives up after the fifth failed attempt, as the gateway does', async () => {
    const s = await startSession({ answers: Array.from({ length: 5 }, () => answer(null, 'ECONNREFUSED')) });
    s.stream.open();
    s.stream.push(envelope(1));
    for (const gap of [0, ...RETRY_SCHEDULES.test]) {
      s.clock.advance(gap);
      await vi.waitFor(() => expect(s.sent.length).toBe(RETRY_SCHEDULES.test.indexOf(gap as 5000) + 2));
    }
    await vi.waitFor(() => expect(s.forwards().at(-1)).toMatchObject({ attempt: 5, outcome: 'failed', error: 'ECONNREFUSED' }));
    await s.stop();
    expect(s.history.get(envelope(1).id)).toMatchObject({ status: 'failed', attempts: 5, next_attempt_at: null });
  });

  it('a restarted session resumes after the last event and delivers at once what it still owed', async () => {
    // Given a session whose forward failed, stopped before its retry
    const first = await startSession({ answers: [answer(null, 'ECONNREFUSED')] });
    first.stream.open();
    first.stream.push(envelope(1));
    await vi.waitFor(() => expect(first.forwards()).toHaveLength(1));
    await first.stop();

    // When a new session starts on the same history
    const second = await startSession({ history: first.path });
    second.stream.open();

    // Then it resumes the stream after that event and forwards it again without waiting
    await vi.waitFor(() => expect(second.forwards()).toHaveLength(1));
    expect(second.stream.lastEventIds).toEqual([envelope(1).id]);
    expect(second.forwards()[0]).toMatchObject({ id: envelope(1).id, attempt: 2, outcome: 'delivered' });
    expect(second.reports.find((r) => r.type === 'ready')).toMatchObject({ resumedAfter: envelope(1).id, pending: 1 });
    // ... and an event the gateway replays that it already has is not forwarded twice
    second.stream.push(envelope(1));
    second.stream.push(envelope(2));
    await vi.waitFor(() => expect(second.forwards()).toHaveLength(2));
    expect(second.sent.map((x) => x.eventId)).toEqual([envelope(1).id, envelope(2).id]);
    await second.stop();
  });

  it('signs again at once with the new secret when the receiver refuses the signature after a rotation (said once)', async () => {
    const s = await startSession({ answers: [answer(401), answer(401)], secrets: ['whsec_one', 'whsec_two'] });
    s.stream.open();
    s.stream.push(envelope(1));
    s.stream.push(envelope(2));
    await vi.waitFor(() => expect(s.forwards()).toHaveLength(4));
    expect(s.reports.filter((r) => r.type === 'secret_changed')).toHaveLength(1);
    expect(s.sent.map((x) => x.secret)).toEqual(['whsec_one', 'whsec_one', 'whsec_two', 'whsec_two']);
    expect(s.forwards().map((f) => f.outcome)).toEqual(['retrying', 'retrying', 'delivered', 'delivered']);
    await s.stop();
  });

  it('says when the stream is lost and when it is back, and forwards on', async () => {
    const s = await startSession();
    s.stream.open();
    s.stream.push(envelope(1));
    s.stream.drop(Object.assign(new Error('fetch failed'), { code: 'ECONNREFUSED' }));
    s.stream.open();
    s.stream.push(envelope(2));
    await vi.waitFor(() => expect(s.forwards()).toHaveLength(2));
    expect(s.reports.filter((r) => r.type !== 'forward').slice(0, 3)).toEqual([
      expect.objectContaining({ type: 'ready' }),
      { type: 'disconnected', reason: 'ECONNREFUSED', retryInMs: 250, attempt: 1, lastEventId: envelope(1).id },
      { type: 'reconnected', lastEventId: envelope(1).id },
    ]);
    await s.stop();
    expect(s.reports.at(-1)).toEqual({ type: 'stopped', pending: 0 });
  });

  it('Ctrl-C cuts off a forward that hangs past the grace; it stays pending for the next run', async () => {
    const path = listenHistoryPath(mkdtempSync(join(tmpdir(), 'listen-session-')), who);
    const history = await ListenHistory.open(path, who);
    const stream = scriptedStream();
    const controller = new AbortController();
    let started = false;
    const done = runListenSession(
      {
        follow: stream.follow,
        secrets: createSecretSource(async () => 'whsec_one'),
        clock: manualClock(),
        schedule: RETRY_SCHEDULES.test,
        testMode: true,
        history,
        forward: ({ signal }) => {
          started = true;
          return new Promise((resolve) => signal.addEventListener('abort', () => resolve(answer(null, 'stopped'))));
        },
        report: () => undefined,
        forwardTo: who.forwardTo,
        stopGraceMs: 20,
      },
      controller.signal,
    );
    stream.open();
    stream.push(envelope(1));
    await vi.waitFor(() => expect(started).toBe(true));
    controller.abort();
    await done;
    const reopened = await ListenHistory.open(path, who);
    expect(reopened.get(envelope(1).id)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});

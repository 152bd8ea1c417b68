import { nextAttempt } from '@paygate/core/domain';
import type { ForwardOutcome } from './forward-event.js';
import type { GatewayClock } from './gateway-clock.js';
import type { ForwardRecord, ListenHistory } from './listen-history.js';
import type { SecretSource } from './secret-source.js';

/** An event as the stream hands it over: its envelope (`id`, `event`, …). */
export type StreamEnvelope = { id: string; event: string } & Record<string, unknown>;

/** What the session asks of the event stream: follow it, across restarts, from a position. */
export type FollowEvents = (options: {
  lastEventId: string | undefined;
  types: readonly string[] | undefined;
  signal: AbortSignal;
  /** Called each time a connection is open (the gateway has subscribed it): the first time means Ready. */
  onOpen: () => void;
  /** Called when the stream was lost and is reopened after `delayMs`. */
  onReconnect: (info: { error: unknown; delayMs: number; lastEventId: string | undefined }) => void;
}) => AsyncIterable<StreamEnvelope>;

/** What the session reports, for the screen (human lines) or `--json` (one object per line). */
export type ListenReport =
  | {
      type: 'ready';
      forwardTo: string;
      secret: string;
      testMode: boolean;
      schedule: readonly number[];
      resumedAfter: string | undefined;
      pending: number;
    }
  | {
      type: 'forward';
      time: Date;
      event: string;
      id: string;
      attempt: number;
      /** `delivered` (2xx), `retrying` (next attempt at `nextAttemptAt`), or `failed` for good. */
      outcome: 'delivered' | 'retrying' | 'failed';
      statusCode: number | null;
      error: string | null;
      latencyMs: number;
      nextAttemptAt: Date | undefined;
      retryInMs: number | undefined;
    }
  /** `attempt` counts the reconnections tried since the stream was last open (1: just lost). */
  | { type: 'disconnected'; reason: string; retryInMs: number; attempt: number; lastEventId: string | undefined }
  | { type: 'reconnected'; lastEventId: string | undefined }
  | { type: 'secret_changed' }
  /** Ctrl-C: saved, with `pending` forwards for the next run. */
  | { type: 'stopped'; pending: number };

export type ListenSessionOptions = {
  follow: FollowEvents;
  secrets: SecretSource;
  clock: GatewayClock;
  /** Gaps between attempts (core's `RETRY_SCHEDULES`: test gaps in test mode). */
  schedule: readonly number[];
  testMode: boolean;
  history: ListenHistory;
  /** One attempt to the receiver (`forwardEvent` bound to `--forward-to`). */
  forward: (request: { eventId: string; body: string; secret: string; signal: AbortSignal }) => Promise<ForwardOutcome>;
  report: (report: ListenReport) => void;
  forwardTo: string;
  /** `--events`: only these types (the gateway filters the stream). */
  types?: readonly string[] | undefined;
  /** Forwards in flight at once (a restarted listener may owe hundreds). */
  maxInFlight?: number;
  /** How often due retries are looked for. */
  tickMs?: number;
  /** How long Ctrl-C waits for forwards in flight before cutting them off (they stay pending). */
  stopGraceMs?: number;
  /** Real time, for the report lines. */
  realNow?: () => Date;
};

const DEFAULT_MAX_IN_FLIGHT = 8;
const DEFAULT_TICK_MS = 200;
const DEFAULT_STOP_GRACE_MS = 2_000;

/** A receiver's way of saying the signature did not verify. */
const isSignatureRefusal = (statusCode: number | null) => statusCode === 401 || statusCode === 403;

/**
 * `pg-cli listen`'s engine: follows the merchant's event stream (resuming after the history's
 * last event), records each event in the local history, forwards it to the receiver signed as
 * a real delivery, and retries failed forwards on the webhook schedule, on the gateway's clock.
 * Forwards still pending from an earlier run go out first. Resolves once `signal` aborted and
 * everything is saved; rejects when the stream refuses for good (bad credentials).
 */
export async function runListenSession(options: ListenSessionOptions, signal: AbortSignal): Promise<void> {
  const { history, clock, report } = options;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const realNow = options.realNow ?? (() => new Date());
  const inFlight = new Map<string, Promise<void>>();
  const cutOff = new AbortController(); // cuts forwards in flight once the grace after Ctrl-C is over
  const resumedAfter = history.lastEventId;
  let opened = 0;
  let lostAttempts = 0;
  let stopping = false;

  // Read before anything else: a gateway that refuses the credentials stops listen here.
  let knownSecret = await options.secrets.current();
  let announcedSecret = knownSecret;

  const attempt = async (record: ForwardRecord): Promise<void> => {
    const secret = (knownSecret = await options.secrets.current());
    const outcome = await options.forward({ eventId: record.event_id, body: record.body, secret, signal: cutOff.signal });
    if (cutOff.signal.aborted && !outcome.ok) return; // cut off by Ctrl-C: still pending, not an attempt
    const attempts = record.attempts + 1;
    const now = clock.now();
    const line = { type: 'forward' as const, time: realNow(), event: record.event, id: record.event_id, attempt: attempts };
    const result = { statusCode: outcome.statusCode, error: outcome.error, latencyMs: outcome.latencyMs };
    const last = { last_status_code: outcome.statusCode, last_error: outcome.error, last_latency_ms: outcome.latencyMs, attempts };
    if (outcome.ok) {
      history.update(record.event_id, { ...last, status: 'delivered', next_attempt_at: null });
      report({ ...line, ...result, outcome: 'delivered', nextAttemptAt: undefined, retryInMs: undefined });
      return;
    }
    const fresh = isSignatureRefusal(outcome.statusCode) ? await options.secrets.refresh().catch(() => secret) : secret;
    if (fresh !== secret) {
      // The secret was rotated since it was read: sign again with the new one, now (said once,
      // however many forwards in flight found out together).
      if (fresh !== announcedSecret) report({ type: 'secret_changed' });
      announcedSecret = fresh;
      history.update(record.event_id, { ...last, next_attempt_at: now.toISOString() });
      report({ ...line, ...result, outcome: 'retrying', nextAttemptAt: now, retryInMs: 0 });
      return;
    }
    const decision = nextAttempt(attempts, now, { schedule: options.schedule, retryAfterMs: outcome.retryAfterMs });
    if (decision.kind === 'give_up') {
      history.update(record.event_id, { ...last, status: 'failed', next_attempt_at: null });
      report({ ...line, ...result, outcome: 'failed', nextAttemptAt: undefined, retryInMs: undefined });
      return;
    }
    history.update(record.event_id, { ...last, next_attempt_at: decision.at.toISOString() });
    report({ ...line, ...result, outcome: 'retrying', nextAttemptAt: decision.at, retryInMs: decision.delayMs });
  };

  const start = (record: ForwardRecord): void => {
    const running = attempt(record)
      .catch(() => undefined) // forwardEvent reports failures as outcomes; anything else is retried next tick
      .finally(() => {
        inFlight.delete(record.event_id);
        kick();
      });
    inFlight.set(record.event_id, running);
  };

  // Starts every due pending forward there is room for, oldest first.
  const startDue = (): void => {
    if (stopping) return;
    const now = clock.now().getTime();
    for (const record of history.pending()) {
      if (inFlight.size >= maxInFlight) return;
      if (inFlight.has(record.event_id)) continue;
      if (record.next_attempt_at !== null && Date.parse(record.next_attempt_at) > now) continue;
      start(record);
    }
  };
  let kicked = false;
  function kick(): void {
    if (kicked) return;
    kicked = true;
    queueMicrotask(() => {
      kicked = false;
      startDue();
    });
  }
  // Retries wait on the gateway's clock, which a test can move: sync it while any wait.
  const ticker = setInterval(() => {
    if (history.pending().some((r) => !inFlight.has(r.event_id))) void clock.sync().then(startDue);
  }, options.tickMs ?? DEFAULT_TICK_MS);

  try {
    // What an earlier run left pending goes out at once: the receiver was likely restarted too.
    for (const record of history.pending()) history.update(record.event_id, { next_attempt_at: clock.now().toISOString() });
    kick();
    const events = options.follow({
      lastEventId: resumedAfter,
      types: options.types,
      signal,
      onOpen: () => {
        opened += 1;
        if (opened === 1) {
          report({
            type: 'ready',
            forwardTo: options.forwardTo,
            secret: knownSecret,
            testMode: options.testMode,
            schedule: options.schedule,
            resumedAfter,
            pending: history.pending().length,
          });
        } else if (lostAttempts > 0) {
          report({ type: 'reconnected', lastEventId: history.lastEventId });
        }
        lostAttempts = 0;
      },
      onReconnect: ({ error, delayMs, lastEventId }) => {
        lostAttempts += 1;
        report({
          type: 'disconnected',
          reason: describeLoss(error),
          retryInMs: delayMs,
          attempt: lostAttempts,
          lastEventId: lastEventId ?? history.lastEventId,
        });
      },
    });
    for await (const envelope of events) {
      if (history.has(envelope.id)) {
        history.advanceTo(envelope.id); // replayed after a resume: forwarded already
        continue;
      }
      history.add({ id: envelope.id, event: envelope.event, body: JSON.stringify(envelope) }, clock.now());
      kick();
    }
  } finally {
    stopping = true;
    clearInterval(ticker);
    await settleWithin([...inFlight.values()], options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    cutOff.abort();
    await Promise.all(inFlight.values());
    await history.flush();
    report({ type: 'stopped', pending: history.pending().length });
  }
}

/** Resolves when every promise has, or after `ms`, whichever comes first. */
async function settleWithin(promises: readonly Promise<void>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(promises), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** A short reason for a lost stream: the system code when there is one, else the message. */
function describeLoss(error: unknown): string {
  if (error === undefined) return 'the gateway ended the stream';
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
  }
  return error instanceof Error ? error.message : String(error);
}

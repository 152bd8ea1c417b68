import type { ListenReport } from './listen-session.js';

/** Where each report goes: `stdout` carries the data (event lines, or every JSON line), `stderr` the rest. */
export type RenderedLine = { stream: 'stdout' | 'stderr'; text: string };

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));
const clockTime = (d: Date) => d.toISOString().slice(11, 19);

/** "5s", "1m", "2h 30m": a retry delay as people say it. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60}m` : `${Math.floor(s / 60)}m ${s % 60}s`;
  const m = Math.round(s / 60);
  return m % 60 === 0 ? `${m / 60}h` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

/**
 * A report as a human line: events on stdout, one per forward attempt, in columns (time, event,
 * id, forward status, latency, then what happens next); connection news on stderr.
 */
export function renderHuman(report: ListenReport): RenderedLine {
  switch (report.type) {
    case 'ready': {
      const owed = report.pending > 0 ? `, delivering ${report.pending} forward${report.pending === 1 ? '' : 's'} still owed first` : '';
      const resumed = report.resumedAfter ? ` Resuming after ${report.resumedAfter} from the local history${owed}.` : '';
      return {
        stream: 'stderr',
        text:
          `Ready! Forwarding events to ${report.forwardTo} (failed forwards retried after ${report.schedule.map(formatDelay).join(', ')}${report.testMode ? ' on the gateway clock, test mode' : ''}).` +
          ` Your webhook signing secret is ${report.secret}. Ctrl-C to stop.${resumed}`,
      };
    }
    case 'forward': {
      const status = report.statusCode !== null ? `[${report.statusCode}]` : `[${report.error ?? 'error'}]`;
      const next =
        report.outcome === 'delivered'
          ? ''
          : report.outcome === 'failed'
            ? `failed after ${report.attempt} attempts`
            : report.retryInMs === 0
              ? 'retrying now'
              : `retry in ${formatDelay(report.retryInMs ?? 0)}`;
      const columns = [clockTime(report.time), pad(report.event, 16), report.id, '-->', pad(status, 7), pad(`${report.latencyMs} ms`, 7)];
      const notes = [report.attempt > 1 ? `attempt ${report.attempt}` : '', next].filter((n) => n !== '').join(', ');
      return { stream: 'stdout', text: [...columns, notes].join('  ').trimEnd() };
    }
    case 'disconnected':
      return {
        stream: 'stderr',
        text:
          report.attempt === 1
            ? `Lost the gateway's event stream (${report.reason}); reconnecting in ${formatDelay(report.retryInMs)}${report.lastEventId ? `, to resume after ${report.lastEventId}` : ''}.`
            : `Gateway still away (${report.reason}); trying again in ${formatDelay(report.retryInMs)}.`,
      };
    case 'reconnected':
      return { stream: 'stderr', text: `Reconnected to the gateway${report.lastEventId ? `; resumed after ${report.lastEventId}, nothing missed` : ''}.` };
    case 'secret_changed':
      return { stream: 'stderr', text: 'The webhook secret was rotated on the gateway; signing with the new one and forwarding again.' };
    case 'stopped':
      return {
        stream: 'stderr',
        text: `Stopped.${report.pending > 0 ? ` ${report.pending} forward${report.pending === 1 ? '' : 's'} still owed; the next pg-cli listen delivers ${report.pending === 1 ? 'it' : 'them'}.` : ''}`,
      };
  }
}

/** A report as one JSON object on stdout (`--json`): snake_case, ISO times, like the REST objects. */
export function renderJson(report: ListenReport): RenderedLine {
  const iso = (d: Date | undefined) => (d ? d.toISOString() : null);
  let object: Record<string, unknown>;
  switch (report.type) {
    case 'ready':
      object = {
        type: 'ready',
        message: `Ready! Forwarding events to ${report.forwardTo}`,
        forward_to: report.forwardTo,
        webhook_secret: report.secret,
        test_mode: report.testMode,
        resumed_after: report.resumedAfter ?? null,
        pending: report.pending,
      };
      break;
    case 'forward':
      object = {
        type: 'forward',
        time: iso(report.time),
        event: report.event,
        id: report.id,
        attempt: report.attempt,
        outcome: report.outcome,
        status_code: report.statusCode,
        error: report.error,
        latency_ms: report.latencyMs,
        next_attempt_at: iso(report.nextAttemptAt),
      };
      break;
    case 'disconnected':
      object = {
        type: 'disconnected',
        reason: report.reason,
        retry_in_ms: report.retryInMs,
        attempt: report.attempt,
        last_event_id: report.lastEventId ?? null,
      };
      break;
    case 'reconnected':
      object = { type: 'reconnected', last_event_id: report.lastEventId ?? null };
      break;
    case 'secret_changed':
      object = { type: 'secret_changed' };
      break;
    case 'stopped':
      object = { type: 'stopped', pending: report.pending };
      break;
  }
  return { stream: 'stdout', text: JSON.stringify(object) };
}

import type { DashboardSource, DashboardUpdate, Delivery, QueueStatus } from './data-source.js';
import { attemptStatus, clockTime, deliveryState, eventSubject, responseExcerpt } from './format.js';

export type LineLogOptions = {
  /** Data lines (stdout). */
  out: { write(text: string): unknown };
  /** Connection news and problems (stderr). */
  err: { write(text: string): unknown };
  /** One REST object per line (event envelope, delivery, job status) instead of readable lines. */
  json: boolean;
};

/** What a delivery looked like when last printed: a line is printed only when it changes. */
const fingerprint = (d: Delivery) => `${d.status}/${d.attempt_log.length}`;
const queueFingerprint = (q: QueueStatus) => `${q.pending}/${q.processing}/${q.completed}/${q.failed}/${q.worker_status}/${q.workers}`;

/**
 * The dashboard when stdout is not a terminal (a pipe, a file, CI): the same source as plain lines,
 * one per event, per delivery change (a new attempt, a new state) and per change of the queue
 * counts. Deliveries already in the log when it starts are not printed; only what happens next.
 */
export function startLineLog(source: DashboardSource, { out, err, json }: LineLogOptions): () => void {
  const seen = new Map<string, string>();
  let primed = false;
  let lastQueue: string | undefined;
  const line = (text: string) => out.write(`${text}\n`);
  const print = (value: object, text: string) => line(json ? JSON.stringify(value) : text);

  const onUpdate = (update: DashboardUpdate) => {
    switch (update.type) {
      case 'gateway':
        err.write(`Watching ${update.gateway.url} (${update.gateway.mode} mode): one line per event, delivery attempt and queue change. Ctrl-C stops.\n`);
        return;
      case 'connection':
        if (update.connection.state !== 'live')
          err.write(`stream ${update.connection.state}${update.connection.detail ? ` (${update.connection.detail})` : ''}\n`);
        return;
      case 'problem':
        if (update.message) err.write(`${update.message}\n`);
        return;
      case 'queue': {
        const q = update.queue;
        const now = queueFingerprint(q);
        if (now === lastQueue) return;
        lastQueue = now;
        print(
          q,
          `${clockTime(new Date().toISOString())} queue pending ${q.pending} processing ${q.processing} completed ${q.completed} failed ${q.failed} · worker ${q.worker_status} (${q.workers})`,
        );
        return;
      }
      case 'event': {
        const s = eventSubject(update.event);
        print(update.event, `${clockTime(update.event.timestamp)} ${update.event.event} ${s.id} ${s.amount} ${s.status} ${s.detail}`.trimEnd());
        return;
      }
      case 'deliveries':
        for (const d of update.deliveries) {
          const now = fingerprint(d);
          if (seen.get(d.id) === now) continue;
          seen.set(d.id, now);
          if (!primed) continue; // what was there before we started
          const last = d.attempt_log.at(-1);
          const attempt = last ? ` attempt ${last.attempt} → ${attemptStatus(last)} ${last.latency_ms} ms ${responseExcerpt(last)}` : '';
          print(d, `${clockTime(d.last_attempt_at ?? d.created_at)} delivery ${d.id} ${d.event} ${deliveryState(d)}${attempt}`);
        }
        primed = true;
        return;
    }
  };
  return source.subscribe(onUpdate);
}

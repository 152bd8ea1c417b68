import { formatMoney, isCurrencyCode } from '@paygate/core/domain';
import type { Delivery, DeliveryAttempt, StreamEvent } from './data-source.js';

/** `HH:MM:SS` in the viewer's local time: what a developer matches against their own logs. */
export function clockTime(iso: string | null | undefined): string {
  if (!iso) return '--:--:--';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '--:--:--';
  return at.toLocaleTimeString('en-GB', { hour12: false });
}

/** `₹500.00` from minor units, or the raw figures when the currency is not one we know. */
export function money(amount: unknown, currency: unknown): string {
  if (typeof amount !== 'number') return '';
  return typeof currency === 'string' && isCurrencyCode(currency) ? formatMoney({ amount, currency }) : `${amount} ${String(currency ?? '')}`.trim();
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;

/** The object an event is about (`data.payment` or `data.refund`), for one summary line. */
export function eventSubject(event: StreamEvent): { id: string; amount: string; status: string; detail: string } {
  const payment = record(event.data['payment']);
  const refund = record(event.data['refund']);
  const subject = payment ?? refund ?? event.data;
  const method = payment?.['method'];
  const detail = refund ? `for ${String(refund['payment_id'] ?? '')}` : typeof method === 'string' ? method : '';
  return {
    id: typeof subject['id'] === 'string' ? subject['id'] : event.id,
    amount: money(subject['amount'], subject['currency']),
    status: typeof subject['status'] === 'string' ? subject['status'] : '',
    detail,
  };
}

/** One line of a response: what the receiver said (or why nothing was said). */
export function responseExcerpt(attempt: DeliveryAttempt): string {
  const text = attempt.response_body ?? attempt.error ?? '';
  return text.replace(/\s+/g, ' ').trim() || '(empty body)';
}

/** `500`, or `timeout`/`error` when no status came back. */
export function attemptStatus(attempt: DeliveryAttempt): string {
  if (attempt.status_code !== null) return String(attempt.status_code);
  return attempt.error && /timeout|timed out/i.test(attempt.error) ? 'timeout' : 'error';
}

/** A delivery's state in a word a developer reads at a glance: `retrying` is pending after a failure. */
export function deliveryState(d: Delivery): string {
  if (d.status === 'pending' && d.attempt_log.at(-1)?.succeeded === false) return 'retrying';
  return d.status;
}

export type Tone = 'green' | 'red' | 'yellow' | 'gray' | undefined;

/** Colour of a status word: success green, failures red, anything in flight yellow. */
export function toneOf(status: string): Tone {
  if (['success', 'processed', 'paid', 'running', 'live'].includes(status)) return 'green';
  if (['failed', 'stopped', 'disabled'].includes(status)) return 'red';
  if (['pending', 'retrying', 'reconnecting', 'connecting', 'created', 'attempted'].includes(status)) return 'yellow';
  return undefined;
}

/**
 * Every attempt a delivery has had. `attempts` counts those since the last manual retry (it
 * restarts the schedule); the log numbers them all.
 */
export function totalAttempts(d: Delivery): number {
  return Math.max(d.attempts, d.attempt_log.at(-1)?.attempt ?? 0);
}

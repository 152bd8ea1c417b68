import { formatMoney, isCurrencyCode } from '@paygate/core/domain';
import type { Paint } from './paint.js';

/** A pino record as it arrives on the destination stream (one parsed JSON line). */
export type LogRecord = Record<string, unknown> & { level?: number; time?: number; msg?: string };

/** What the formatter keeps between lines: each request's method and path until it completes. */
export type FormatMemory = { requests: Map<string, { method: string; url: string; problem?: string }> };

/** The request id of `pg-cli dev`'s own look-up for its banner, which the human-readable log leaves out. */
export const BANNER_REQUEST_ID = 'pg-cli-dev-banner';

/** Above this many requests in flight the oldest are forgotten (a stream that never completes). */
const MAX_REMEMBERED_REQUESTS = 1_000;

/** A formatted line; `foldKey` marks request lines that may be folded when they repeat. */
export type FormattedLine = { text: string; foldKey?: string };

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
/** Fields every record carries, which a human line leaves out. */
const NOISE = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'v']);

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

function clock(time: unknown): string {
  const at = typeof time === 'number' ? new Date(time) : new Date();
  return at.toLocaleTimeString('en-GB', { hour12: false });
}

function statusColour(status: number): 'green' | 'yellow' | 'red' | 'cyan' {
  if (status >= 500) return 'red';
  if (status >= 400) return 'yellow';
  if (status >= 300) return 'cyan';
  return 'green';
}

function money(amount: unknown, currency: unknown): string {
  if (typeof amount !== 'number') return '';
  return typeof currency === 'string' && isCurrencyCode(currency) ? formatMoney({ amount, currency }) : `${amount} ${str(currency)}`;
}

function outcomeColour(status: string): 'green' | 'red' | 'yellow' {
  if (['success', 'processed', 'delivered'].includes(status)) return 'green';
  if (['failed', 'gave_up', 'disabled'].includes(status)) return 'red';
  return 'yellow';
}

/** `key=value` pairs for a record this formatter has no special line for. */
function fields(record: LogRecord, paint: Paint): string {
  const pairs = Object.entries(record)
    .filter(([k]) => !NOISE.has(k) && k !== 'err')
    // A long list (the migrations just run) as its length: one line stays one line.
    .map(([k, v]) => `${paint('dim', `${k}=`)}${Array.isArray(v) && v.length > 3 ? `[${v.length} items]` : str(v)}`);
  const err = record['err'] as { message?: string; stack?: string } | string | undefined;
  if (err) pairs.push(`${paint('dim', 'err=')}${typeof err === 'string' ? err : (err.message ?? str(err))}`);
  return pairs.join(' ');
}

/**
 * One pino record as one line a developer reads: a request as `GET /api/v1/orders 201 3 ms`, a
 * settlement as `payment pay_… success ₹500.00`, a webhook attempt as `webhook … → 500 23 ms`,
 * anything else as `LEVEL message key=value…`. Returns undefined for records that only prepare a
 * later line (`incoming request`).
 */
export function formatLogRecord(record: LogRecord, memory: FormatMemory, paint: Paint): FormattedLine | undefined {
  const time = paint('dim', clock(record.time));
  const reqId = str(record['reqId']);
  const req = record['req'] as { method?: string; url?: string } | undefined;
  const res = record['res'] as { statusCode?: number } | undefined;

  if (reqId === BANNER_REQUEST_ID) return undefined; // pg-cli dev's own look-up for its banner
  if (record.msg === 'incoming request' && req) {
    if (memory.requests.size >= MAX_REMEMBERED_REQUESTS) memory.requests.delete(memory.requests.keys().next().value!);
    memory.requests.set(reqId, { method: str(req.method), url: str(req.url) });
    return undefined;
  }
  // A request's 4xx reason (the errors plugin logs it at info): said on the request's own line.
  const pending = memory.requests.get(reqId);
  if (pending && record.level === 30 && typeof record['code'] === 'string') {
    pending.problem = `${record['code']}: ${str(record.msg)}${record['field'] ? ` (${str(record['field'])})` : ''}`;
    return undefined;
  }
  // The banner says where the gateway listens.
  if (typeof record.msg === 'string' && record.msg.startsWith('Server listening at')) return undefined;
  if (record.msg === 'request completed' && res) {
    const seen = memory.requests.get(reqId);
    memory.requests.delete(reqId);
    const method = seen?.method ?? '?';
    const url = seen?.url ?? '?';
    const status = res.statusCode ?? 0;
    const ms = Math.round(num(record['responseTime']) ?? 0);
    const problem = seen?.problem ? ` ${paint('yellow', seen.problem)}` : '';
    return {
      text: `${time} ${paint('bold', method.padEnd(6))} ${url} ${paint(statusColour(status), String(status))} ${paint('dim', `${ms} ms`)}${problem}`,
      // Only reads fold (polls); each write made something, and a request that went wrong says why.
      ...(problem || (method !== 'GET' && method !== 'HEAD') ? {} : { foldKey: `${method} ${url} ${status}` }),
    };
  }
  if (record.msg === 'payment settled' || record.msg === 'refund settled') {
    const isPayment = record.msg === 'payment settled';
    const id = str(isPayment ? record['paymentId'] : record['refundId']);
    const status = str(record['status']);
    const extra = isPayment ? str(record['method']) : `for ${str(record['paymentId'])}`;
    return {
      text: `${time} ${paint('magenta', isPayment ? 'payment' : 'refund ')} ${id} ${paint(outcomeColour(status), status)} ${paint('bold', money(record['amount'], record['currency']))} ${paint('dim', extra)}`,
    };
  }
  if (record.msg === 'webhook attempt') {
    const outcome = str(record['outcome']);
    const code = record['statusCode'] === null || record['statusCode'] === undefined ? str(record['error']) || 'no response' : str(record['statusCode']);
    return {
      text: `${time} ${paint('cyan', 'webhook')} ${str(record['eventType'])} ${str(record['deliveryId'])} attempt ${str(record['attempt'])} → ${paint(outcomeColour(outcome), code)} ${paint('dim', `${str(record['latencyMs'])} ms`)} ${paint(outcomeColour(outcome), outcome)}`,
    };
  }
  const level = LEVEL_NAMES[record.level ?? 30] ?? 'info';
  const levelText =
    level === 'info' ? '' : `${paint(level === 'warn' ? 'yellow' : level === 'debug' || level === 'trace' ? 'gray' : 'red', level.toUpperCase())} `;
  const rest = fields(record, paint);
  const stack =
    (level === 'error' || level === 'fatal') && typeof (record['err'] as { stack?: unknown })?.stack === 'string'
      ? `\n${(record['err'] as { stack: string }).stack}`
      : '';
  return { text: `${time} ${levelText}${str(record.msg)}${rest ? ` ${rest}` : ''}${stack}` };
}

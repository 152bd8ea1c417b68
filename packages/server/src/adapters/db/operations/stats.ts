import type { Knex } from 'knex';
import { toCount } from '../../../model/rows.js';

type Db = Knex | Knex.Transaction;

/** One currency's figures since a moment: payments by status, money collected and refunded. */
export type CurrencyStats = { currency: string; total: number; success: number; failed: number; pending: number; collected: number; refunded: number };

/**
 * The merchant's payments created since `since`, counted by status and summed per currency
 * (amounts are never added across currencies), and the refunds created since then that have
 * not failed (pending ones hold their amount, as the refund ceiling does). Two grouped reads on
 * the (merchant_id, created_at) indexes.
 */
export async function statsSince({ db, merchantId, since }: { db: Db; merchantId: string; since: Date }): Promise<CurrencyStats[]> {
  const [payments, refunds] = await Promise.all([
    db.raw<{ rows: Array<Record<string, unknown>> }>(
      `SELECT currency,
              count(*) AS total,
              count(*) FILTER (WHERE status = 'success') AS success,
              count(*) FILTER (WHERE status = 'failed') AS failed,
              count(*) FILTER (WHERE status = 'pending') AS pending,
              coalesce(sum(amount) FILTER (WHERE status = 'success'), 0) AS collected
         FROM payments
        WHERE merchant_id = ? AND created_at >= ?
        GROUP BY currency`,
      [merchantId, since],
    ),
    db.raw<{ rows: Array<Record<string, unknown>> }>(
      `SELECT currency, coalesce(sum(amount), 0) AS refunded
         FROM refunds
        WHERE merchant_id = ? AND created_at >= ? AND status <> 'failed'
        GROUP BY currency`,
      [merchantId, since],
    ),
  ]);
  const byCurrency = new Map<string, CurrencyStats>();
  const entry = (currency: string) => {
    let e = byCurrency.get(currency);
    if (!e) byCurrency.set(currency, (e = { currency, total: 0, success: 0, failed: 0, pending: 0, collected: 0, refunded: 0 }));
    return e;
  };
  for (const r of payments.rows) {
    const e = entry(String(r['currency']));
    e.total = toCount(r['total']);
    e.success = toCount(r['success']);
    e.failed = toCount(r['failed']);
    e.pending = toCount(r['pending']);
    e.collected = toCount(r['collected']);
  }
  for (const r of refunds.rows) entry(String(r['currency'])).refunded = toCount(r['refunded']);
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

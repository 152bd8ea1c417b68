import { statsSince } from '../adapters/db/operations/stats.js';
import type { MerchantRow } from '../model/rows.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * The dashboard overview's figures since a moment the caller picks (its local midnight: "today"
 * is the viewer's, not the server's): payments by status, the success rate among settled
 * payments (null when none settled), and money collected and refunded per currency.
 */
export async function getStats(deps: Pick<ServiceDeps, 'db'>, merchant: MerchantRow, since: Date) {
  const rows = await statsSince({ db: deps.db, merchantId: merchant.id, since });
  const sum = (k: 'total' | 'success' | 'failed' | 'pending') => rows.reduce((n, r) => n + r[k], 0);
  const payments = { total: sum('total'), success: sum('success'), failed: sum('failed'), pending: sum('pending') };
  const settled = payments.success + payments.failed;
  return {
    since: since.toISOString(),
    payments,
    success_rate: settled === 0 ? null : payments.success / settled,
    by_currency: rows.map((r) => ({ currency: r.currency, collected: r.collected, refunded: r.refunded })),
  };
}

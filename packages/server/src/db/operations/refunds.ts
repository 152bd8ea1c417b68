import type { Knex } from 'knex';
import type { RefundRow } from '../tables.js';
import { merchantPage, type ListQuery, type Page } from './pagination.js';

type Db = Knex | Knex.Transaction;

export async function insertRefund({ db, row }: { db: Db; row: RefundRow }): Promise<RefundRow> {
  const [inserted] = await db<RefundRow>('refunds').insert(row).returning('*');
  return inserted!;
}

export async function findRefund({ db, merchantId, id }: { db: Db; merchantId: string; id: string }): Promise<RefundRow | undefined> {
  return db<RefundRow>('refunds').where({ id, merchant_id: merchantId }).first();
}

export async function listRefunds({ db, status, paymentId, ...page }: ListQuery & { paymentId?: string | undefined }): Promise<Page<RefundRow>> {
  return merchantPage<RefundRow>(db, 'refunds', { ...page, filters: { payment_id: paymentId, status } });
}

/** Guarded `pending → to` once the refund is due; zero rows means someone else moved first. */
export async function settleRefund({ db, id, to, now }: { db: Db; id: string; to: RefundRow['status']; now: Date }): Promise<RefundRow | undefined> {
  const [row] = await db<RefundRow>('refunds')
    .where({ id, status: 'pending' })
    .andWhere('process_after', '<=', now)
    .update({ status: to, processed_at: now, updated_at: now })
    .returning('*');
  return row;
}

import type { Knex } from 'knex';
import type { MerchantRow } from '../../../model/rows.js';

/** What a reset empties, children before parents (the foreign keys point this way). */
const EMPTIED_TABLES = ['webhook_attempts', 'webhook_logs', 'events', 'refunds', 'payments', 'orders', 'idempotency_keys'];

/**
 * Test mode's reset, in one transaction: deletes every order, payment, refund, event, delivery
 * with its attempts, and idempotency key, and every merchant but `keepMerchantId`, whose row
 * gets `keptMerchantChanges`.
 */
export async function deleteAllDataExcept({
  db,
  keepMerchantId,
  keptMerchantChanges,
}: {
  db: Knex;
  keepMerchantId: string;
  keptMerchantChanges: Partial<MerchantRow>;
}): Promise<void> {
  await db.transaction(async (trx: Knex.Transaction) => {
    for (const table of EMPTIED_TABLES) await trx(table).delete();
    await trx('merchants').whereNot({ id: keepMerchantId }).delete();
    await trx('merchants').where({ id: keepMerchantId }).update(keptMerchantChanges);
  });
}

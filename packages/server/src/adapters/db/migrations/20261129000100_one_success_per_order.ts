import type { Knex } from 'knex';

/**
 * An order is paid once. The settlement statement decides which payment of an order wins (see
 * `settlePaymentsWithEvents`); this index is the database's own guarantee behind it, so no bug
 * in that logic can ever charge a shopper twice for one order: a second `success` row fails.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE UNIQUE INDEX payments_one_success_per_order_idx ON payments (order_id) WHERE status = 'success'");
  await knex.raw("COMMENT ON INDEX payments_one_success_per_order_idx IS 'At most one successful payment per order.'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX payments_one_success_per_order_idx');
}

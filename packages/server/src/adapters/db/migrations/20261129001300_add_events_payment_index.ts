import type { Knex } from 'knex';

// A payment's timeline (GET /api/v1/events?payment_id=, the dashboard's payment page) and its
// deliveries (GET /api/v1/webhooks?payment_id=) read one payment's events; the other indexes
// lead with merchant_id and created_at, so without this one they would scan the merchant's events.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    t.index(['merchant_id', 'payment_id', 'sequence'], 'events_merchant_payment_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    t.dropIndex([], 'events_merchant_payment_idx');
  });
}

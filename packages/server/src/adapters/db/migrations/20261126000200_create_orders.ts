import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('orders', (t) => {
    t.comment('What a shopper is asked to pay; one order may see several payment attempts.');
    t.text('id').primary({ constraintName: 'orders_pkey' }).comment('order_ + 16 base62 characters.');
    t.text('merchant_id').notNullable().references('id').inTable('merchants').withKeyName('orders_merchant_id_fkey').onDelete('CASCADE').comment('Owner.');
    t.bigInteger('amount').notNullable().comment('Minor units (paise for INR).');
    t.specificType('currency', 'char(3)').notNullable().comment('ISO 4217 code.');
    t.text('receipt').nullable().comment("Merchant's own reference.");
    t.jsonb('notes').nullable().comment('Free-form key/value notes from the merchant.');
    t.text('status').notNullable().comment('created | attempted | paid.');
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().comment('Creation time.');
    t.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().comment('Last change.');
    t.index(['merchant_id', 'created_at'], 'orders_merchant_created_idx');
    t.check('amount > 0 AND amount <= 100000000000', [], 'orders_amount_check');
    t.check("status IN ('created', 'attempted', 'paid')", [], 'orders_status_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('orders');
}

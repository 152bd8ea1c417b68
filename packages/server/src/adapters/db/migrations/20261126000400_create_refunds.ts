import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('refunds', (t) => {
    t.comment('Full or partial refunds; their sum per payment never exceeds the payment (payments.amount_refunded CHECK).');
    t.text('id').primary({ constraintName: 'refunds_pkey' }).comment('rfnd_ + 16 base62 characters.');
    t.text('merchant_id').notNullable().references('id').inTable('merchants').withKeyName('refunds_merchant_id_fkey').onDelete('CASCADE').comment('Owner.');
    t.text('payment_id')
      .notNullable()
      .references('id')
      .inTable('payments')
      .withKeyName('refunds_payment_id_fkey')
      .onDelete('CASCADE')
      .comment('The refunded payment.');
    t.bigInteger('amount').notNullable().comment('Minor units.');
    t.specificType('currency', 'char(3)').notNullable().comment('ISO 4217 code, the payment currency.');
    t.text('reason').nullable().comment('Why, in the merchant’s words.');
    t.jsonb('notes').nullable().comment('Free-form key/value notes.');
    t.text('status').notNullable().comment('pending | processed | failed.');
    t.timestamp('process_after', { useTz: true, precision: 3 }).notNullable().comment('Gateway-clock time at which the worker may settle it.');
    t.timestamp('enqueued_at', { useTz: true, precision: 3 }).nullable().comment('Real time its job was last queued.');
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().comment('Creation time.');
    t.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().comment('Last change.');
    t.timestamp('processed_at', { useTz: true, precision: 3 }).nullable().comment('When it reached processed.');
    t.index(['payment_id'], 'refunds_payment_id_idx');
    t.index(['merchant_id', 'created_at'], 'refunds_merchant_created_idx');
    t.check('amount > 0 AND amount <= 100000000000', [], 'refunds_amount_check');
    t.check("status IN ('pending', 'processed', 'failed')", [], 'refunds_status_check');
  });
  await knex.raw("CREATE INDEX refunds_pending_due_idx ON refunds (process_after) WHERE status = 'pending'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('refunds');
}

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payments', (t) => {
    t.comment('Payment attempts against an order. Never holds a card number or CVV: only network and last 4.');
    t.text('id').primary({ constraintName: 'payments_pkey' }).comment('pay_ + 16 base62 characters.');
    t.text('merchant_id').notNullable().references('id').inTable('merchants').withKeyName('payments_merchant_id_fkey').onDelete('CASCADE').comment('Owner.');
    t.text('order_id')
      .notNullable()
      .references('id')
      .inTable('orders')
      .withKeyName('payments_order_id_fkey')
      .onDelete('CASCADE')
      .comment('The order paid for.');
    t.bigInteger('amount').notNullable().comment('Minor units, copied from the order.');
    t.specificType('currency', 'char(3)').notNullable().comment('ISO 4217 code, copied from the order.');
    t.text('method').notNullable().comment('upi | card.');
    t.text('vpa').nullable().comment('UPI virtual payment address (method upi).');
    t.text('card_network').nullable().comment('visa, mastercard, rupay, ... (method card).');
    t.specificType('card_last4', 'char(4)').nullable().comment('Last four digits (method card).');
    t.text('status').notNullable().comment('pending | success | failed.');
    t.text('error_code').nullable().comment('Why it failed (status failed).');
    t.text('error_description').nullable().comment('Human-readable failure reason.');
    t.boolean('captured').notNullable().defaultTo(false).comment('Set by POST /payments/:id/capture.');
    t.bigInteger('amount_refunded').notNullable().defaultTo(0).comment('Sum of refunds created (pending or processed); guarded by a CHECK.');
    t.text('decided_status')
      .notNullable()
      .comment("Simulated processor's outcome, decided at creation (magic values need the card number, which is not kept).");
    t.text('decided_error_code').nullable().comment('Outcome error code when decided_status is failed.');
    t.text('decided_error_description').nullable().comment('Outcome error description when decided_status is failed.');
    t.timestamp('process_after', { useTz: true, precision: 3 }).notNullable().comment('Gateway-clock time at which the worker may settle it.');
    t.timestamp('enqueued_at', { useTz: true, precision: 3 }).nullable().comment('Real time its job was last queued; the relay requeues stale ones.');
    t.integer('event_sequence').notNullable().defaultTo(0).comment('Count of events emitted for this payment; each event carries its number.');
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().comment('Creation time.');
    t.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().comment('Last change.');
    t.timestamp('processed_at', { useTz: true, precision: 3 }).nullable().comment('When it reached success or failed.');
    t.index(['merchant_id', 'created_at'], 'payments_merchant_created_idx');
    t.index(['order_id'], 'payments_order_id_idx');
    t.check('amount > 0 AND amount <= 100000000000', [], 'payments_amount_check');
    t.check('amount_refunded >= 0 AND amount_refunded <= amount', [], 'payments_amount_refunded_check');
    t.check("status IN ('pending', 'success', 'failed')", [], 'payments_status_check');
    t.check("decided_status IN ('success', 'failed')", [], 'payments_decided_status_check');
    t.check("(method = 'upi' AND vpa IS NOT NULL) OR (method = 'card' AND card_last4 IS NOT NULL)", [], 'payments_method_check');
  });
  await knex.raw("CREATE INDEX payments_pending_due_idx ON payments (process_after) WHERE status = 'pending'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payments');
}

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('events', (t) => {
    t.comment('Everything that happened, written in the same transaction as the change it reports (the outbox).');
    t.text('id').primary({ constraintName: 'events_pkey' }).comment('evt_ + 16 base62; the webhook-id receivers dedupe on.');
    t.text('merchant_id').notNullable().references('id').inTable('merchants').withKeyName('events_merchant_id_fkey').onDelete('CASCADE').comment('Owner.');
    t.text('type').notNullable().comment('payment.created, payment.success, refund.processed, ...');
    t.text('payment_id').nullable().comment('The payment concerned (also for refund events).');
    t.integer('sequence').notNullable().comment("Position among the payment's events, so receivers can order them.");
    t.jsonb('data').notNullable().comment('The data object of the envelope, a snapshot at the time of the event.');
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().comment('Event time (the envelope timestamp).');
    t.index(['merchant_id', 'created_at'], 'events_merchant_created_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('events');
}

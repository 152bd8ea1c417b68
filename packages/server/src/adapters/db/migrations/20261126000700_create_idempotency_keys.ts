import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.comment('Idempotency-Key records: one per merchant, method, path and key; kept 24 h.');
    t.text('merchant_id')
      .notNullable()
      .references('id')
      .inTable('merchants')
      .withKeyName('idempotency_keys_merchant_id_fkey')
      .onDelete('CASCADE')
      .comment('Scope: the caller.');
    t.text('method').notNullable().comment('Scope: HTTP method.');
    t.text('path').notNullable().comment('Scope: request path without query.');
    t.string('key', 255).notNullable().comment('The Idempotency-Key header.');
    t.specificType('request_hash', 'char(64)').notNullable().comment('SHA-256 of the canonical request body; a different body is a 422.');
    t.text('state').notNullable().comment('in_flight | completed.');
    t.integer('response_status').nullable().comment('Stored status to replay.');
    t.text('response_body').nullable().comment('Stored body to replay, verbatim.');
    t.timestamp('locked_until', { useTz: true, precision: 3 })
      .notNullable()
      .comment('An in-flight record older than this was abandoned (crash) and may be taken over.');
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().comment('First seen.');
    t.timestamp('expires_at', { useTz: true, precision: 3 }).notNullable().comment('Forgotten after this (24 h).');
    t.primary(['merchant_id', 'method', 'path', 'key'], { constraintName: 'idempotency_keys_pkey' });
    t.index(['expires_at'], 'idempotency_keys_expires_at_idx');
    t.check("state IN ('in_flight', 'completed')", [], 'idempotency_keys_state_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('merchants', (t) => {
    t.comment('Tenants of the gateway: each has API credentials and one webhook endpoint.');
    t.text('id').primary({ constraintName: 'merchants_pkey' }).comment('merch_ + 16 base62 characters.');
    t.text('name').notNullable().comment('Display name.');
    t.text('email').notNullable().unique({ indexName: 'merchants_email_key' }).comment('Contact email; unique.');
    t.text('api_key').notNullable().unique({ indexName: 'merchants_api_key_key' }).comment('Public key sent as X-Api-Key.');
    t.specificType('api_secret_hash', 'char(64)').notNullable().comment('Hex SHA-256 of the API secret; the secret itself is never stored.');
    t.text('webhook_url').nullable().comment('Where events are delivered; null means no deliveries.');
    t.text('webhook_secret').notNullable().comment('Current signing secret (whsec_...). Needed in clear to sign.');
    t.text('previous_webhook_secret').nullable().comment('The secret before the last rotation, still signed with until it expires.');
    t.timestamp('previous_webhook_secret_expires_at', { useTz: true, precision: 3 }).nullable().comment('End of the rotation grace period.');
    t.specificType('webhook_events', 'text[]').nullable().comment('Event types delivered; null means every event.');
    t.boolean('webhook_enabled').notNullable().defaultTo(true).comment('False after the endpoint answered 410 Gone, or when switched off.');
    t.boolean('is_test').notNullable().defaultTo(true).comment('Made in test mode (seed or POST /test/merchants).');
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().comment('Creation time.');
    t.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().comment('Last change.');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('merchants');
}

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_logs', (t) => {
    t.comment('One delivery per event to the merchant endpoint; its attempts are in webhook_attempts.');
    t.text('id').primary({ constraintName: 'webhook_logs_pkey' }).comment('whd_ + 16 base62 characters.');
    t.text('merchant_id')
      .notNullable()
      .references('id')
      .inTable('merchants')
      .withKeyName('webhook_logs_merchant_id_fkey')
      .onDelete('CASCADE')
      .comment('Owner.');
    t.text('event_id')
      .notNullable()
      .references('id')
      .inTable('events')
      .withKeyName('webhook_logs_event_id_fkey')
      .onDelete('CASCADE')
      .comment('The event delivered.');
    t.text('event').notNullable().comment('Event type, denormalised for listing and filtering.');
    t.text('status').notNullable().comment('pending | success | failed.');
    t.integer('attempts').notNullable().defaultTo(0).comment('Attempts in the current schedule (a manual retry starts a new one).');
    t.timestamp('next_attempt_at', { useTz: true, precision: 3 }).nullable().comment('Gateway-clock time the next attempt is due (status pending).');
    t.timestamp('last_attempt_at', { useTz: true, precision: 3 }).nullable().comment('When the last attempt was made.');
    t.integer('response_code').nullable().comment('HTTP status of the last attempt, if any.');
    t.timestamp('enqueued_at', { useTz: true, precision: 3 }).nullable().comment('Real time a job was queued for the due attempt; null when none is.');
    t.timestamp('locked_until', { useTz: true, precision: 3 }).nullable().comment('Real time until which a worker owns the attempt in flight.');
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().comment('Creation time.');
    t.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().comment('Last change.');
    t.unique(['event_id'], { indexName: 'webhook_logs_event_id_key' });
    t.index(['merchant_id', 'created_at'], 'webhook_logs_merchant_created_idx');
    t.check("status IN ('pending', 'success', 'failed')", [], 'webhook_logs_status_check');
    t.check('attempts >= 0', [], 'webhook_logs_attempts_check');
  });
  await knex.raw("CREATE INDEX webhook_logs_pending_due_idx ON webhook_logs (next_attempt_at) WHERE status = 'pending'");

  await knex.schema.createTable('webhook_attempts', (t) => {
    t.comment('Every delivery attempt, successful or not.');
    t.bigIncrements('id').comment('Row id.');
    t.text('webhook_log_id')
      .notNullable()
      .references('id')
      .inTable('webhook_logs')
      .withKeyName('webhook_attempts_webhook_log_id_fkey')
      .onDelete('CASCADE')
      .comment('The delivery.');
    t.integer('attempt_number').notNullable().comment('1-based, counting every attempt of the delivery.');
    t.text('url').notNullable().comment('Target of this attempt.');
    t.timestamp('attempted_at', { useTz: true, precision: 3 }).notNullable().comment('Gateway-clock time of the attempt.');
    t.integer('status_code').nullable().comment('HTTP status, null on connection error or timeout.');
    t.integer('latency_ms').notNullable().comment('Time to the response (or the error).');
    t.text('response_body').nullable().comment('First 1 KiB of the response body.');
    t.text('error').nullable().comment('Connection error, timeout or refusal, when there was no 2xx.');
    t.boolean('succeeded').notNullable().comment('True for a 2xx.');
    t.index(['webhook_log_id'], 'webhook_attempts_webhook_log_id_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_attempts');
  await knex.schema.dropTable('webhook_logs');
}

import type { Knex } from 'knex';

/**
 * Every HTTP attempt gets its own row and number, even a duplicate send by a worker whose lease
 * ran out: the number comes from a counter on the delivery, taken under the row lock, so two
 * concurrent attempts of one delivery get distinct numbers, and a unique index makes sure of it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_logs', (t) => {
    t.integer('attempts_logged').notNullable().defaultTo(0).comment('Attempts ever made and logged, over every schedule: the last attempt_number handed out.');
  });
  // Number the attempts already logged 1..n per delivery (older code could repeat a number).
  await knex.raw(`
    UPDATE webhook_attempts AS a SET attempt_number = r.n
      FROM (SELECT id, row_number() OVER (PARTITION BY webhook_log_id ORDER BY attempt_number, id) AS n FROM webhook_attempts) AS r
     WHERE a.id = r.id AND a.attempt_number <> r.n`);
  await knex.raw(`
    UPDATE webhook_logs AS w SET attempts_logged = c.n
      FROM (SELECT webhook_log_id, count(*) AS n FROM webhook_attempts GROUP BY webhook_log_id) AS c
     WHERE w.id = c.webhook_log_id`);
  await knex.raw('ALTER TABLE webhook_logs ADD CONSTRAINT webhook_logs_attempts_logged_check CHECK (attempts_logged >= 0)');
  await knex.schema.alterTable('webhook_attempts', (t) => {
    // Also serves lookups by delivery, so the plain index on webhook_log_id goes.
    t.unique(['webhook_log_id', 'attempt_number'], { indexName: 'webhook_attempts_webhook_log_id_attempt_number_key' });
    t.dropIndex(['webhook_log_id'], 'webhook_attempts_webhook_log_id_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_attempts', (t) => {
    t.index(['webhook_log_id'], 'webhook_attempts_webhook_log_id_idx');
    t.dropUnique(['webhook_log_id', 'attempt_number'], 'webhook_attempts_webhook_log_id_attempt_number_key');
  });
  await knex.raw('ALTER TABLE webhook_logs DROP CONSTRAINT webhook_logs_attempts_logged_check');
  await knex.schema.alterTable('webhook_logs', (t) => {
    t.dropColumn('attempts_logged');
  });
}

import type { Knex } from 'knex';

// Retention deletes by age across all merchants; the existing indexes lead with merchant_id.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    t.index(['created_at'], 'events_created_at_idx');
  });
  await knex.schema.alterTable('webhook_attempts', (t) => {
    t.index(['attempted_at'], 'webhook_attempts_attempted_at_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_attempts', (t) => {
    t.dropIndex([], 'webhook_attempts_attempted_at_idx');
  });
  await knex.schema.alterTable('events', (t) => {
    t.dropIndex([], 'events_created_at_idx');
  });
}

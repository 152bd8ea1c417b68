import type { Knex } from 'knex';

/**
 * Retention finds old events merchant by merchant through events_merchant_created_idx instead
 * (operations/retention.ts): this index cost every event an entry, three a payment, for a job
 * that runs hourly.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX events_created_at_idx');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    t.index(['created_at'], 'events_created_at_idx');
  });
}

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.boolean('refunds_fail')
      .notNullable()
      .defaultTo(false)
      .comment(
        'Simulated processor: every refund of this payment fails (magic card 4000 0000 0000 5126), decided at creation since the card number is not kept.',
      );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.dropColumn('refunds_fail');
  });
}

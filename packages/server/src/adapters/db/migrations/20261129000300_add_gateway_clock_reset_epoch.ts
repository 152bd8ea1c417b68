import type { Knex } from 'knex';

// Test mode's reset deletes merchants that API processes may still hold in their authentication
// cache. Each process already re-reads this row every 250 ms for the clock offset; a counter
// bumped by every reset rides along, so a process drops its cache when it sees a new value.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('gateway_clock', (t) => {
    t.bigInteger('reset_epoch')
      .notNullable()
      .defaultTo(0)
      .comment('Test mode: how many times POST /api/v1/test/reset ran; a change tells every process to drop its merchant cache.');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('gateway_clock', (t) => {
    t.dropColumn('reset_epoch');
  });
}

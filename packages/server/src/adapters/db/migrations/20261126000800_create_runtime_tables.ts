import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('gateway_clock', (t) => {
    t.comment('Test mode: the offset of the gateway clock, shared by every API and worker process.');
    t.smallint('id').primary({ constraintName: 'gateway_clock_pkey' }).comment('Always 1: a single row.');
    t.bigInteger('offset_ms').notNullable().defaultTo(0).comment('Milliseconds added to real time.');
    t.check('id = 1', [], 'gateway_clock_single_row_check');
  });
  await knex('gateway_clock').insert({ id: 1, offset_ms: 0 });

  await knex.schema.createTable('worker_heartbeats', (t) => {
    t.comment('Live workers: each refreshes its row every few seconds; worker_status reads them.');
    t.text('worker_id').primary({ constraintName: 'worker_heartbeats_pkey' }).comment('hostname:pid:random.');
    t.text('hostname').notNullable().comment('Host of the worker.');
    t.integer('pid').notNullable().comment('Process id.');
    t.integer('concurrency').notNullable().comment('Jobs it runs at once per queue.');
    t.timestamp('started_at', { useTz: true, precision: 3 }).notNullable().comment('Start time (real).');
    t.timestamp('last_seen_at', { useTz: true, precision: 3 }).notNullable().comment('Last heartbeat (real).');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('worker_heartbeats');
  await knex.schema.dropTable('gateway_clock');
}

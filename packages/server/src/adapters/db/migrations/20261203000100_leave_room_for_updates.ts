import type { Knex } from 'knex';

/**
 * Room on each page for the updates that follow a row's insert within milliseconds. An order is
 * updated twice (by its payment's creation and by the settlement), a payment and its delivery
 * once each. Filled to the brim, an update that finds no room on its row's page moves the row to
 * another page: it then writes a lock record first, and for an order, whose updates change no
 * indexed column, it also misses the HOT update and writes a new entry in each of its indexes.
 * The e2e bench found 40 % of order updates so; room took 6 % of the records off a payment's
 * WAL (docs/performance.md, twenty-second sitting). Orders are small and get two updates, hence
 * half; payments and deliveries give up less space for one.
 *
 * The setting applies to pages filled from now on.
 */
export const FILL_FACTORS = { orders: 50, payments: 70, webhook_logs: 70 } as const;

export async function up(knex: Knex): Promise<void> {
  for (const [table, percent] of Object.entries(FILL_FACTORS)) await knex.raw(`ALTER TABLE ${table} SET (fillfactor = ${percent})`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of Object.keys(FILL_FACTORS)) await knex.raw(`ALTER TABLE ${table} RESET (fillfactor)`);
}

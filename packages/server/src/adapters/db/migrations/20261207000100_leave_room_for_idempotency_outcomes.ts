import type { Knex } from 'knex';
import { runsOnEmbeddedEngine } from '../embedded-knex-client.js';

/**
 * Room on each page of `idempotency_keys` for the update that follows each insert within
 * milliseconds: a request with an Idempotency-Key claims its record (about 240 bytes, in flight)
 * and then stores its answer in it (about 450 bytes, completed). Filled to the brim, the completed
 * version found no room on its page three times in four: it moved to another page and wrote a new
 * entry in both of the table's indexes (the primary key's four text columns, and `expires_at`)
 * instead of a HOT update, which writes neither. At 30 % a page takes ten claims, and their ten
 * answers fit beside them before any pruning. The table holds a day of keys, so the space is cheap.
 *
 * On PostgreSQL servers only: the embedded engine paid dearly for room left on the orders' pages
 * (`full_order_pages_on_embedded_engine`), and `pg-cli dev` takes few keys.
 * The setting applies to pages filled from now on.
 */
const IDEMPOTENCY_KEYS_FILL_FACTOR = 30;

export async function up(knex: Knex): Promise<void> {
  if (!runsOnEmbeddedEngine(knex)) await knex.raw(`ALTER TABLE idempotency_keys SET (fillfactor = ${IDEMPOTENCY_KEYS_FILL_FACTOR})`);
}

export async function down(knex: Knex): Promise<void> {
  if (!runsOnEmbeddedEngine(knex)) await knex.raw('ALTER TABLE idempotency_keys RESET (fillfactor)');
}

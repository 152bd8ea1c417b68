import type { Knex } from 'knex';
import { runsOnEmbeddedEngine } from '../embedded-knex-client.js';
import { FILL_FACTORS } from './20261203000100_leave_room_for_updates.js';

/**
 * Takes back, on the embedded engine only (PGlite: `pg-cli dev`, in-memory test databases), the
 * room that `leave_room_for_updates` leaves on orders', payments' and deliveries' pages. On a
 * PostgreSQL server that room keeps updates HOT and took 6 % of the WAL records off a payment; on
 * PGlite it made payments dearer instead: the embedded closed loop went from 1,676–1,822
 * payments/s at 837–890 µs of CPU each with full pages to 1,022–1,115/s at 1,201–1,284 µs with
 * the room, and a lone payment's p50 from 2.9–3.2 ms to 3.7–4.0 (three alternated pairs,
 * docs/performance.md, twenty-sixth sitting). Why was not measured; the eleventh sitting saw the
 * same with orders at 65 and guessed PostgreSQL's opportunistic pruning (a read that finds less
 * free space on a page than its fillfactor's reserve prunes the page), which the WebAssembly
 * engine would pay dearly for.
 *
 * The setting applies to pages filled from now on. A server's tables keep theirs.
 */
export async function up(knex: Knex): Promise<void> {
  if (!runsOnEmbeddedEngine(knex)) return;
  for (const table of Object.keys(FILL_FACTORS)) await knex.raw(`ALTER TABLE ${table} RESET (fillfactor)`);
}

export async function down(knex: Knex): Promise<void> {
  if (!runsOnEmbeddedEngine(knex)) return;
  for (const [table, percent] of Object.entries(FILL_FACTORS)) await knex.raw(`ALTER TABLE ${table} SET (fillfactor = ${percent})`);
}

import type { Knex } from 'knex';
import { runsOnEmbeddedEngine } from '../embedded-knex-client.js';
import { FILL_FACTORS } from './20261203000100_leave_room_for_updates.js';

/**
 * Takes back, on the embedded engine only (PGlite: `pg-cli dev`, in-memory test databases), the
 * room that `leave_room_for_updates` leaves on the orders' pages (half of each). On a PostgreSQL
 * server that room keeps an order's two updates HOT; on PGlite it made every payment dearer: the
 * embedded closed loop did 915–971 payments/s at 1,380–1,448 µs of CPU each with it, against
 * 1,656–1,684 at 888–892 with full order pages, and a lone payment's p50 was 4.4 ms against
 * 3.1–3.2 (docs/performance.md, twenty-sixth sitting). Payments' and deliveries' room (70 %) cost
 * nothing measurable there (with no room on any table: 1,609–1,645 at 914–918), so it stays on
 * both engines. Why the orders' room costs PGlite so
 * much was not measured; the eleventh sitting saw the same with orders at 65 and guessed
 * PostgreSQL's opportunistic pruning (a read that finds less free space on a page than its
 * fillfactor's reserve prunes the page), which the WebAssembly engine would pay dearly for.
 *
 * The setting applies to pages filled from now on. A server's orders keep theirs.
 */
export async function up(knex: Knex): Promise<void> {
  if (runsOnEmbeddedEngine(knex)) await knex.raw('ALTER TABLE orders RESET (fillfactor)');
}

export async function down(knex: Knex): Promise<void> {
  if (runsOnEmbeddedEngine(knex)) await knex.raw(`ALTER TABLE orders SET (fillfactor = ${FILL_FACTORS.orders})`);
}

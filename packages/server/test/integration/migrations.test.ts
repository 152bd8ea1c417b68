import { afterAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { MIGRATIONS, migrationSource } from '../../src/adapters/db/migration-source.js';
import { openTestDatabase, testEngines } from '../helpers/gateway.js';

const engines = await testEngines();

// The tables each migration makes (none for one that changes existing tables).
const TABLES_BY_MIGRATION: Record<string, string[]> = {
  '20261126000100_create_merchants': ['merchants'],
  '20261126000200_create_orders': ['orders'],
  '20261126000300_create_payments': ['payments'],
  '20261126000400_create_refunds': ['refunds'],
  '20261126000500_create_events': ['events'],
  '20261126000600_create_webhook_logs': ['webhook_logs', 'webhook_attempts'],
  '20261126000700_create_idempotency_keys': ['idempotency_keys'],
  '20261126000800_create_runtime_tables': ['gateway_clock', 'worker_heartbeats'],
  '20261129000100_one_success_per_order': [],
  '20261129000200_add_idempotency_recovery_points': [],
  '20261129000300_add_gateway_clock_reset_epoch': [],
  '20261129000500_number_webhook_attempts': [],
  '20261129000600_add_payments_refunds_fail': [],
  '20261129000610_add_events_stream_position': [],
  '20261129000700_add_retention_indexes': [],
  '20261129001300_add_events_payment_index': [],
  '20261203000100_leave_room_for_updates': [],
  '20261203000200_drop_events_created_at_index': [],
  '20261204000100_full_order_pages_on_embedded_engine': [],
  '20261207000100_leave_room_for_idempotency_outcomes': [],
};

async function tables(db: Knex): Promise<string[]> {
  const rows = (await db.raw<{ rows: { tablename: string }[] }>("select tablename from pg_tables where schemaname = 'public' and tablename not like 'knex_%'"))
    .rows;
  return rows.map((r) => r.tablename).sort();
}

describe.each(engines)('migrations on %s', (engine) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('covers every migration in the list', () => {
    expect(MIGRATIONS.map((m) => m.name)).toEqual(Object.keys(TABLES_BY_MIGRATION));
  });

  it('goes up and down one migration at a time, each step making and removing exactly its tables', async () => {
    const { db, close } = await openTestDatabase(engine);
    cleanups.push(close);

    // Up, one at a time: each adds exactly its own tables
    const seen: string[] = [];
    for (const m of MIGRATIONS) {
      await db.migrate.up({ migrationSource });
      seen.push(...TABLES_BY_MIGRATION[m.name]!);
      expect(await tables(db), m.name).toEqual([...seen].sort());
    }
    // The money invariants are in the database itself
    const checks = (await db.raw<{ rows: { conname: string }[] }>("select conname from pg_constraint where contype = 'c'")).rows.map((r) => r.conname);
    expect(checks).toEqual(expect.arrayContaining(['payments_amount_check', 'payments_amount_refunded_check', 'refunds_amount_check', 'orders_amount_check']));
    // ...and so is "one order, one successful payment"
    const unique = (await db.raw<{ rows: { indexname: string }[] }>("select indexname from pg_indexes where indexdef like 'CREATE UNIQUE INDEX%'")).rows.map(
      (r) => r.indexname,
    );
    expect(unique).toContain('payments_one_success_per_order_idx');
    // The tables updated right after their insert leave room on each page for it, but for the
    // orders and the Idempotency-Key records on the embedded engine, where that room made payments dearer
    const fillFactors = (
      await db.raw<{ rows: { relname: string; reloptions: string[] | null }[] }>(
        "select relname, reloptions from pg_class where relname in ('idempotency_keys', 'orders', 'payments', 'webhook_logs') order by relname",
      )
    ).rows;
    expect(fillFactors).toEqual([
      { relname: 'idempotency_keys', reloptions: engine === 'postgres' ? ['fillfactor=30'] : null },
      { relname: 'orders', reloptions: engine === 'postgres' ? ['fillfactor=50'] : null },
      { relname: 'payments', reloptions: ['fillfactor=70'] },
      { relname: 'webhook_logs', reloptions: ['fillfactor=70'] },
    ]);

    // Down, one at a time: each removes exactly its own tables, in reverse
    for (const m of [...MIGRATIONS].reverse()) {
      await db.migrate.down({ migrationSource });
      for (const t of TABLES_BY_MIGRATION[m.name]!) seen.splice(seen.indexOf(t), 1);
      expect(await tables(db), `down ${m.name}`).toEqual([...seen].sort());
    }
    expect(await tables(db)).toEqual([]);

    // And up again from nothing: the downs left nothing behind that breaks a fresh start
    await db.migrate.latest({ migrationSource });
    expect(await tables(db)).toHaveLength(Object.values(TABLES_BY_MIGRATION).flat().length);
  });
});

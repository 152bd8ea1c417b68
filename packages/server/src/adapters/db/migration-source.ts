import type { Knex } from 'knex';
import * as createMerchants from './migrations/20261126000100_create_merchants.js';
import * as createOrders from './migrations/20261126000200_create_orders.js';
import * as createPayments from './migrations/20261126000300_create_payments.js';
import * as createRefunds from './migrations/20261126000400_create_refunds.js';
import * as createEvents from './migrations/20261126000500_create_events.js';
import * as createWebhookLogs from './migrations/20261126000600_create_webhook_logs.js';
import * as createIdempotencyKeys from './migrations/20261126000700_create_idempotency_keys.js';
import * as createRuntimeTables from './migrations/20261126000800_create_runtime_tables.js';
import * as oneSuccessPerOrder from './migrations/20261129000100_one_success_per_order.js';
import * as addIdempotencyRecoveryPoints from './migrations/20261129000200_add_idempotency_recovery_points.js';
import * as addGatewayClockResetEpoch from './migrations/20261129000300_add_gateway_clock_reset_epoch.js';
import * as numberWebhookAttempts from './migrations/20261129000500_number_webhook_attempts.js';
import * as addPaymentsRefundsFail from './migrations/20261129000600_add_payments_refunds_fail.js';
import * as addEventsStreamPosition from './migrations/20261129000610_add_events_stream_position.js';
import * as addRetentionIndexes from './migrations/20261129000700_add_retention_indexes.js';
import * as addEventsPaymentIndex from './migrations/20261129001300_add_events_payment_index.js';
import * as leaveRoomForUpdates from './migrations/20261203000100_leave_room_for_updates.js';
import * as dropEventsCreatedAtIndex from './migrations/20261203000200_drop_events_created_at_index.js';
import * as fullOrderPagesOnEmbeddedEngine from './migrations/20261204000100_full_order_pages_on_embedded_engine.js';
import * as leaveRoomForIdempotencyOutcomes from './migrations/20261207000100_leave_room_for_idempotency_outcomes.js';

type Migration = { name: string; up: (knex: Knex) => Promise<void>; down: (knex: Knex) => Promise<void> };

/**
 * Migrations imported statically: knex's file loader can't load TypeScript under plain Node or
 * vitest (STACK.md), and a bundled list also works from `dist/`. Append new ones at the end.
 */
export const MIGRATIONS: readonly Migration[] = [
  { name: '20261126000100_create_merchants', ...createMerchants },
  { name: '20261126000200_create_orders', ...createOrders },
  { name: '20261126000300_create_payments', ...createPayments },
  { name: '20261126000400_create_refunds', ...createRefunds },
  { name: '20261126000500_create_events', ...createEvents },
  { name: '20261126000600_create_webhook_logs', ...createWebhookLogs },
  { name: '20261126000700_create_idempotency_keys', ...createIdempotencyKeys },
  { name: '20261126000800_create_runtime_tables', ...createRuntimeTables },
  { name: '20261129000100_one_success_per_order', ...oneSuccessPerOrder },
  { name: '20261129000200_add_idempotency_recovery_points', ...addIdempotencyRecoveryPoints },
  { name: '20261129000300_add_gateway_clock_reset_epoch', ...addGatewayClockResetEpoch },
  { name: '20261129000500_number_webhook_attempts', ...numberWebhookAttempts },
  { name: '20261129000600_add_payments_refunds_fail', ...addPaymentsRefundsFail },
  { name: '20261129000610_add_events_stream_position', ...addEventsStreamPosition },
  { name: '20261129000700_add_retention_indexes', ...addRetentionIndexes },
  { name: '20261129001300_add_events_payment_index', ...addEventsPaymentIndex },
  { name: '20261203000100_leave_room_for_updates', ...leaveRoomForUpdates },
  { name: '20261203000200_drop_events_created_at_index', ...dropEventsCreatedAtIndex },
  { name: '20261204000100_full_order_pages_on_embedded_engine', ...fullOrderPagesOnEmbeddedEngine },
  { name: '20261207000100_leave_room_for_idempotency_outcomes', ...leaveRoomForIdempotencyOutcomes },
];

/** A knex migration source over {@link MIGRATIONS}. */
export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: (m) => m.name,
  getMigration: (m) => Promise.resolve(m),
};

/** Key of the session-level advisory lock that migrators take ("Payg"); any constant would do. */
export const MIGRATION_ADVISORY_LOCK = 0x50617967;

/**
 * Runs `fn` while this process holds the migrators' advisory lock. The lock belongs to a database
 * session, so PostgreSQL releases it by itself when a migrator dies and its connection closes;
 * knex's own lock is a row that stays set after a crash. A dedicated pooled connection holds it
 * while `fn` uses the rest of the pool; PGlite's one connection is its own session throughout.
 */
async function withMigratorLock<T>(db: Knex, fn: () => Promise<T>): Promise<T> {
  const singleConnection = (db.client.config as Knex.Config).pool?.max === 1;
  const connection: unknown = singleConnection ? undefined : await db.client.acquireConnection();
  const onSession = (sql: string) => (connection ? db.raw(sql, [MIGRATION_ADVISORY_LOCK]).connection(connection) : db.raw(sql, [MIGRATION_ADVISORY_LOCK]));
  try {
    await onSession('SELECT pg_advisory_lock(?)');
    try {
      return await fn();
    } finally {
      await onSession('SELECT pg_advisory_unlock(?)');
    }
  } finally {
    if (connection) await db.client.releaseConnection(connection);
  }
}

/**
 * Brings the schema up to date; returns the names of the migrations it ran.
 *
 * @remarks Concurrent migrators queue on the advisory lock, and each finds the work done by the
 * one before. Holding it, no live migrator can hold knex's table lock, so a lock row still set
 * was left by a process that died mid-migration (every later start would otherwise fail with
 * "Migration table is already locked"): it is freed before migrating.
 */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  return withMigratorLock(db, async () => {
    await db.migrate.forceFreeMigrationsLock({ migrationSource });
    const [, ran] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
    return ran;
  });
}

/** Where knex records the migrations it ran (its default; no migration config changes it). */
const MIGRATIONS_TABLE = 'knex_migrations';
/** PostgreSQL's SQLSTATE for a relation that does not exist. */
const UNDEFINED_TABLE = '42P01';

/**
 * The migrations of {@link MIGRATIONS} the database has not recorded, in order; all of them on a
 * database never migrated. Plain reads only (no lock, no DDL: knex's own `migrate.list` would
 * create its tables), so it works through a transaction-mode pooler. Recorded migrations this
 * version does not know, from a newer release migrated first, are not its concern.
 */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  // One statement, its failure telling a database never migrated: a catalog lookup first took a
  // round trip more on every `pg-cli dev` start (15–25 ms on PGlite, whose catalogs are cold then).
  const names = await db(MIGRATIONS_TABLE)
    .pluck<string>('name')
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return [];
      throw error;
    });
  const recorded = new Set(names);
  return MIGRATIONS.map((m) => m.name).filter((name) => !recorded.has(name));
}

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
import * as addGatewayClockResetEpoch from './migrations/20261129000300_add_gateway_clock_reset_epoch.js';

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
  { name: '20261129000300_add_gateway_clock_reset_epoch', ...addGatewayClockResetEpoch },
];

/** A knex migration source over {@link MIGRATIONS}. */
export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: (m) => m.name,
  getMigration: (m) => Promise.resolve(m),
};

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, ran] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return ran;
}

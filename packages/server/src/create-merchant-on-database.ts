import { createMerchantSchema, parseInput } from '@paygate/core';
import { createSystemClock } from './adapters/clock/clock.js';
import type { GatewayConfig } from './config.js';
import { createDatabase, databaseTargetFrom } from './adapters/db/create-database.js';
import { migrateToLatest } from './adapters/db/migration-source.js';
import { createMerchant } from './services/merchants.js';

/**
 * `pg-cli merchants create` (production onboarding, no HTTP route for it): validates the input,
 * opens the configured database, migrates it if needed, creates the merchant, closes.
 */
export async function createMerchantOnDatabase(config: GatewayConfig, input: unknown) {
  const parsed = parseInput(createMerchantSchema, input);
  const db = createDatabase(databaseTargetFrom(config));
  try {
    await migrateToLatest(db);
    return await createMerchant({ db, clock: createSystemClock(), config }, parsed);
  } finally {
    await db.destroy();
  }
}

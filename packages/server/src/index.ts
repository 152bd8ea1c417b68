// The public surface of @paygate/server.
export { loadConfig, ConfigError } from './config.js';
export type { GatewayConfig, ConfigOverrides } from './config.js';
export { startGateway } from './gateway.js';
export type { Gateway, GatewayRole } from './gateway.js';
export { buildApp } from './transports/app.js';
export { createDatabase, databaseTargetFrom } from './adapters/db/create-database.js';
export type { DatabaseTarget } from './adapters/db/create-database.js';
export type { EmbeddedPostgres } from './adapters/db/embedded-postgres.js';
export { migrateToLatest, MIGRATIONS } from './adapters/db/migration-source.js';
export { keepPaymentPathPlanned } from './adapters/db/payment-path-plans.js';
export { createLogger } from './logger.js';
export { SEED_MERCHANT } from './services/merchants.js';
export { createMerchantOnDatabase } from './create-merchant-on-database.js';
export { createPaygateClient } from './client.js';
export type { PaygateClientOptions } from './client.js';
export type { AppRouter } from './transports/trpc/router.js';
// The REST client and the wire types, for code that imported everything from the server.
export { PaygateRestClient, PaygateApiError, GatewayUnreachableError } from '@paygate/client';
export type * from '@paygate/client';

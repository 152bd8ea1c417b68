// A second public entry of @paygate/server (`@paygate/server/embedded-postgres`): opening the
// embedded database without loading the gateway, so that `pg-cli dev` can start it first.
export { openEmbeddedPostgres } from './adapters/db/embedded-postgres.js';
export type { EmbeddedPostgres } from './adapters/db/embedded-postgres.js';

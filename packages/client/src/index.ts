// The public surface of @paygate/client: no server dependencies (no database, queue or HTTP
// server libraries), so a merchant's backend, pg-cli and dashboards install it alone. The REST
// client, the event stream and the wire types (see rest.ts), and the typed tRPC client.
export * from './rest.js';
export { createPaygateClient } from './trpc-client.js';
export type { PaygateClientOptions, AppRouter } from './trpc-client.js';

// The typed tRPC client moved to @paygate/client (merchants install it without the server's
// database and queue libraries); @paygate/server keeps exporting it for code written against it.
export { createPaygateClient } from '@paygate/client';
export type { PaygateClientOptions } from '@paygate/client';

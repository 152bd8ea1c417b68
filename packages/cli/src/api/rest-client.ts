import { PaygateRestClient, type PaygateConnection } from '@paygate/client/rest';
import { nodeHttpFetch } from './node-http-fetch.js';

/** The REST client every command reaches a gateway with: `@paygate/client`'s, over `node:http` (see node-http-fetch.ts). */
export function restClient(connection: Pick<PaygateConnection, 'apiUrl' | 'apiKey' | 'apiSecret'>): PaygateRestClient {
  return new PaygateRestClient({ ...connection, fetch: nodeHttpFetch });
}

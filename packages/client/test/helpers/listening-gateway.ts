import { loadConfig, type ConfigOverrides } from '../../../server/src/config.js';
import { startGateway, type Gateway } from '../../../server/src/gateway.js';
import { createLogger } from '../../../server/src/logger.js';
import { SEED_MERCHANT } from '../../../server/src/services/merchants.js';

export { SEED_MERCHANT };

/**
 * A real gateway listening on 127.0.0.1 (a free port), in test mode on PGlite in memory with the
 * in-process queue: the client is tested over real HTTP, as its users call it.
 */
export async function startListeningGateway(overrides: ConfigOverrides = {}): Promise<Gateway & { url: string }> {
  const config = loadConfig(
    {
      environment: 'development',
      testMode: true,
      testProcessingDelayMs: 0,
      dataDir: 'memory',
      databaseUrl: undefined,
      redisUrl: undefined,
      host: '127.0.0.1',
      port: 0,
      logLevel: 'silent',
      relayIntervalMs: 100,
      ...overrides,
    },
    {},
  );
  const gateway = await startGateway(config, { role: 'all', logger: createLogger(config.logLevel) });
  return gateway as Gateway & { url: string };
}

/** The seed merchant's connection to `apiUrl`. */
export const seedConnection = (apiUrl: string) => ({ apiUrl, apiKey: SEED_MERCHANT.apiKey, apiSecret: SEED_MERCHANT.apiSecret });

import { SEED_MERCHANT, type GatewayConfig, type GatewayRole } from '@paygate/server';

/**
 * The line a process prints on stderr at start when it runs with anything a production gateway
 * must not have (DESIGN.md "Production safety": test mode says so loudly), naming each thing it
 * enables so an operator who reads only this line knows what is open. `undefined` in production.
 */
export function unsafeModeWarning(config: GatewayConfig, role: GatewayRole): string | undefined {
  const isDevServer = role === 'all' && !config.testMode; // pg-cli dev: development is its point
  if (isDevServer || (config.environment === 'production' && !config.testMode)) return undefined;
  const enabled = [
    config.seedTestMerchant ? `the seed merchant with public credentials (${SEED_MERCHANT.apiKey} / ${SEED_MERCHANT.apiSecret}) is accepted` : undefined,
    config.testMode && role !== 'worker' ? '/api/v1/test/* (merchants, clock, reset: it deletes all data) is served' : undefined,
    config.allowPrivateWebhookTargets ? 'webhooks may target private and loopback addresses' : undefined,
    config.testMode ? 'payments and refunds settle by simulation on a movable test clock' : undefined,
  ].filter((s): s is string => s !== undefined);
  if (enabled.length === 0) return undefined;
  const what = config.testMode ? 'test mode is on (--test-mode or TEST_MODE=true)' : `PAYGATE_ENV=${config.environment}`;
  return `WARNING: ${what}: ${enabled.join('; ')}. Never run it with real merchants or money; for production drop --test-mode, TEST_MODE and PAYGATE_ENV=development.`;
}

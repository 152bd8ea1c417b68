import { ConfigError, loadConfig, startGateway, type ConfigOverrides, type Gateway, type GatewayRole } from '@paygate/server';
import { unsafeModeWarning } from './unsafe-mode-warning.js';

export type RunGatewayOptions = {
  role: GatewayRole;
  overrides: ConfigOverrides;
  onReady: (gateway: Gateway) => void;
  env?: Record<string, string | undefined>;
};

/**
 * Starts a gateway process and keeps it up until SIGINT/SIGTERM, then stops it gracefully
 * (stop accepting, finish running jobs within the grace period) and resolves.
 */
export async function runGateway({ role, overrides, onReady, env = process.env }: RunGatewayOptions): Promise<void> {
  const config = loadConfig(overrides, env);
  // Plain stderr, not the logger: it must show whatever LOG_LEVEL says.
  const warning = unsafeModeWarning(config, role);
  if (warning) process.stderr.write(`${warning}\n`);
  const gateway = await startGateway(config, { role });
  onReady(gateway);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      gateway.deps.log.info({ signal }, 'shutting down');
      gateway.stop().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export { ConfigError };

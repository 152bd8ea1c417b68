import {
  ConfigError,
  createLogger,
  loadConfig,
  startGateway,
  type ConfigOverrides,
  type EmbeddedPostgres,
  type Gateway,
  type GatewayRole,
} from '@paygate/server';
import { tierUpSooner } from './tier-up-sooner.js';
import { unsafeModeWarning } from './unsafe-mode-warning.js';

export type RunGatewayOptions = {
  role: GatewayRole;
  overrides: ConfigOverrides;
  /** Called once the gateway serves; the process stays up until it has returned. */
  onReady: (gateway: Gateway) => void | Promise<void>;
  env?: Record<string, string | undefined>;
  /** Where log records go instead of stdout (`pg-cli dev` on a terminal: the human-readable formatter). */
  logDestination?: { write(chunk: string): unknown };
  /** The embedded database, already being opened (`pg-cli dev`). */
  embedded?: EmbeddedPostgres;
};

/** What stopping may take past PAYGATE_SHUTDOWN_GRACE_MS before the process exits regardless. */
const STOP_MARGIN_MS = 2_000;
/** After a clean stop, how long a library's leftover timer or socket may keep the process up. */
const LINGER_MS = 1_000;

/**
 * Starts a gateway process and keeps it up until SIGINT/SIGTERM, then stops it gracefully
 * (stop accepting, finish running jobs within the grace period) and resolves.
 *
 * @remarks The process always ends within the grace period plus a margin, whatever is down:
 * a stop that overruns is cut short (exit 1). An unhandled promise rejection or uncaught
 * exception is a bug that leaves the process in an unknown state: it is logged (fatal), the
 * gateway is stopped the same graceful way (the API stops accepting and drains), and the
 * process exits 1 for its supervisor to restart it.
 */
export async function runGateway({ role, overrides, onReady, env = process.env, logDestination, embedded }: RunGatewayOptions): Promise<void> {
  const config = loadConfig(overrides, env);
  // Plain stderr, not the logger: it must show whatever LOG_LEVEL says.
  const warning = unsafeModeWarning(config, role);
  if (warning) process.stderr.write(`${warning}\n`);
  const log = createLogger(config.logLevel, logDestination as NodeJS.WritableStream | undefined);
  let stop: ((reason: string, exitCode: number) => void) | undefined;
  // A signal that comes while the gateway is still starting is kept and acted on once it runs.
  let early: { reason: string; exitCode: number } | undefined;
  const stopOrRemember = (reason: string, exitCode: number) => {
    if (stop) stop(reason, exitCode);
    else early ??= { reason, exitCode };
  };
  const fatal = (kind: string) => (error: unknown) => {
    log.fatal({ err: error }, `${kind}; stopping`);
    if (stop) stop(kind, 1);
    else process.exit(1); // not started yet: nothing to drain
  };
  // Listeners go on first and stay on to the end: a signal with no listener is the default
  // kill, mid-start or mid-stop; a second signal while stopping is only logged.
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down');
    stopOrRemember(signal, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('unhandledRejection', fatal('unhandled promise rejection'));
  process.on('uncaughtException', fatal('uncaught exception'));

  const running = await startGateway(config, { role, logger: log, ...(embedded ? { embedded } : {}) });
  await onReady(running);
  tierUpSooner();
  await new Promise<void>((resolve) => {
    let exitCode = 0;
    let stopping = false;
    stop = (reason, code) => {
      exitCode = Math.max(exitCode, code);
      if (stopping) return;
      stopping = true;
      const overrun = setTimeout(() => {
        log.error({ reason, graceMs: config.shutdownGraceMs }, 'stop did not finish within the grace period; exiting');
        process.exit(1);
      }, config.shutdownGraceMs + STOP_MARGIN_MS);
      overrun.unref();
      running
        .stop()
        .catch((err: unknown) => log.error({ err }, 'stop failed'))
        .finally(() => {
          clearTimeout(overrun);
          process.exitCode = exitCode;
          // Stopped: a reconnect timer some client library left behind must not keep us up.
          setTimeout(() => process.exit(exitCode), LINGER_MS).unref();
          resolve();
        });
    };
    if (early) stop(early.reason, early.exitCode);
  });
}

export { ConfigError };

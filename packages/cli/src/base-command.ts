import { Command, Flags } from '@oclif/core';

/**
 * Shared behaviour of every pg-cli command: a PaygateError prints one line and exits with its
 * code from core's table. It imports nothing of the server, so commands that only talk to a
 * gateway over HTTP (ApiCommand) start without loading it; the commands that run a gateway
 * extend ServerCommand.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    verbose: Flags.boolean({ description: 'Print stack traces on errors.', default: false }),
  };

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    // Imported here, not at the top: `pg-cli dev` starts opening its database before it loads
    // anything it can do without.
    const { exitCodeOf, isPaygateError } = await import('@paygate/core/domain');
    if (isPaygateError(error)) {
      // One line that names the problem (and the flag or field), then the table's exit code.
      this.logToStderr(`Error (${error.code}): ${error.description}`);
      return this.exit(exitCodeOf(error.code));
    }
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      this.logToStderr(`${error.message}\nAnother process uses that port: pick another with --port.`);
      return this.exit(6);
    }
    return super.catch(error);
  }
}

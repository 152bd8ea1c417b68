import { Command, Flags } from '@oclif/core';
import { exitCodeOf, isPaygateError } from '@paygate/core';
import { ConfigError } from '@paygate/server';

/** Shared behaviour: configuration errors print once, plainly, with exit code 2. */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    verbose: Flags.boolean({ description: 'Print stack traces on errors.', default: false }),
  };

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (error instanceof ConfigError) {
      this.logToStderr(error.message);
      this.logToStderr('See .env.example for every variable, its default and what it affects.');
      return this.exit(2);
    }
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

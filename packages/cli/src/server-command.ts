import { BaseCommand } from './base-command.js';

/** The commands that run a gateway process (dev, server, worker, migrate, merchants create): configuration errors print once, plainly, with exit code 2. */
export abstract class ServerCommand extends BaseCommand {
  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    // Imported here, not at the top: `pg-cli dev` starts opening its database before it loads
    // the gateway's modules, and a static import would load them all first.
    const { ConfigError } = await import('@paygate/server');
    if (error instanceof ConfigError) {
      this.logToStderr(error.message);
      this.logToStderr('See .env.example for every variable, its default and what it affects.');
      return this.exit(2);
    }
    return super.catch(error);
  }
}

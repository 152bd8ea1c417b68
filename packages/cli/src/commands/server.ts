import { Flags } from '@oclif/core';
import { ServerCommand } from '../server-command.js';
import { runGateway } from '../run-gateway.js';

export default class Server extends ServerCommand {
  static override summary = 'Run an API process on PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).';
  static override description = `Stateless: run as many as you like behind a load balancer, with "pg-cli worker" processes doing the jobs.
Production unless --test-mode or TEST_MODE=true: no seed merchant, no /api/v1/test/*, private webhook targets refused.
Runs pending migrations on start (one process at a time). Prints a line containing "ready" once it serves.`;
  static override examples = ['DATABASE_URL=postgres://postgres@127.0.0.1/paygate REDIS_URL=redis://127.0.0.1:6379 <%= config.bin %> server --port 8000'];
  static override flags = {
    port: Flags.integer({ description: 'Port to listen on.', env: 'PORT', default: 8000, min: 0, max: 65535 }),
    // No default here: the server's config falls back to HOST, then 127.0.0.1 (a default on the
    // flag would always win and silently ignore HOST).
    host: Flags.string({ description: 'Address to bind. Default: PAYGATE_HOST, else HOST, else 127.0.0.1.', env: 'PAYGATE_HOST' }),
    'test-mode': Flags.boolean({
      description:
        'Test mode (seed merchant, /api/v1/test/*, simulated outcomes; see pg-cli dev --help). Off: production. Refused with PAYGATE_ENV=production.',
      env: 'TEST_MODE',
      default: false,
    }),
    json: Flags.boolean({ description: 'Print the ready line as JSON.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Server);
    if (!process.env['DATABASE_URL'] || !process.env['REDIS_URL']) {
      this.error('pg-cli server needs DATABASE_URL and REDIS_URL. For a local gateway without them, run: pg-cli dev', { exit: 2 });
    }
    await runGateway({
      role: 'api',
      overrides: { port: flags.port, ...(flags.host ? { host: flags.host } : {}), ...(flags['test-mode'] ? { testMode: true } : {}) },
      onReady: (gateway) => this.log(flags.json ? JSON.stringify({ status: 'ready', url: gateway.url }) : `Paygate API ready at ${gateway.url}`),
    });
  }
}

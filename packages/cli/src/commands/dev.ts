import { Flags } from '@oclif/core';
import { ServerCommand } from '../server-command.js';
import { runGateway } from '../run-gateway.js';

export default class Dev extends ServerCommand {
  static override summary = 'Run a local gateway: API + workers + checkout in one process, no Docker.';
  static override description = `Stores data with embedded PostgreSQL (PGlite) in --data-dir and runs jobs in-process.
The seed's test merchant exists: X-Api-Key key_test_abc123, X-Api-Secret secret_test_xyz789, webhook secret whsec_test_abc123.
Prints one line containing "ready" and the URL once it serves, then the web dashboard's URL. Stop with Ctrl-C (graceful).`;
  static override examples = [
    '<%= config.bin %> dev',
    '<%= config.bin %> dev --port 9000 --test-mode',
    '<%= config.bin %> dev --data-dir memory   # throwaway data',
  ];
  static override flags = {
    port: Flags.integer({ description: 'Port to listen on.', env: 'PORT', default: 8000, min: 0, max: 65535 }),
    // No default here: the server's config falls back to HOST, then 127.0.0.1 (a default on the
    // flag would always win and silently ignore HOST).
    host: Flags.string({ description: 'Address to bind. Default: PAYGATE_HOST, else HOST, else 127.0.0.1.', env: 'PAYGATE_HOST' }),
    'data-dir': Flags.string({ description: 'Folder for the embedded database ("memory" for none).', env: 'PAYGATE_DATA_DIR', default: '.paygate' }),
    'test-mode': Flags.boolean({
      description: 'Test mode: fast deterministic processing, test clock, /api/v1/test/* routes.',
      env: 'TEST_MODE',
      default: false,
    }),
    json: Flags.boolean({ description: 'Print the ready line as JSON.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Dev);
    await runGateway({
      role: 'all',
      // dev is always embedded (PGlite + in-process queue), whatever DATABASE_URL and REDIS_URL say.
      env: { ...process.env, DATABASE_URL: undefined, REDIS_URL: undefined },
      overrides: {
        port: flags.port,
        ...(flags.host ? { host: flags.host } : {}),
        dataDir: flags['data-dir'],
        environment: 'development',
        ...(flags['test-mode'] ? { testMode: true } : {}),
      },
      onReady: (gateway) => {
        const dashboard = `${gateway.url}/dashboard`;
        const info = { status: 'ready', url: gateway.url, mode: gateway.config.testMode ? 'test' : 'development', database: flags['data-dir'], dashboard };
        if (flags.json) this.log(JSON.stringify(info));
        else {
          this.log(`Paygate ready at ${gateway.url} (${info.mode} mode, data in ${flags['data-dir']})`);
          this.log(`Dashboard: ${dashboard} (signed in as the seed test merchant)`);
        }
      },
    });
  }
}

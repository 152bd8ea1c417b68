import { Flags } from '@oclif/core';
import { openEmbeddedPostgres } from '@paygate/server/embedded-postgres';
import { ServerCommand } from '../server-command.js';

export default class Dev extends ServerCommand {
  static override summary = 'Run a local gateway: API + workers + checkout in one process, no Docker.';
  static override description = `Stores data with embedded PostgreSQL (PGlite) in --data-dir and runs jobs in-process.
The seed's test merchant exists: X-Api-Key key_test_abc123, X-Api-Secret secret_test_xyz789, webhook secret whsec_test_abc123.
On a terminal it greets with the URLs (API, docs, dashboard, checkout), the credentials and a command to try, then logs one readable line per request, settlement and webhook attempt (LOG_LEVEL=info or higher keeps only the gateway's own messages).
With --json, or when stdout is not a terminal, it prints one line containing "ready" and the URL, and logs JSON (pino). Stop with Ctrl-C (graceful).`;
  static override examples = [
    '<%= config.bin %> dev',
    '<%= config.bin %> dev --port 9000 --test-mode',
    '<%= config.bin %> dev --data-dir memory   # throwaway data',
    '<%= config.bin %> dev --json | tee gateway.log   # JSON ready line and JSON logs, for scripts',
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
    json: Flags.boolean({ description: 'Print the ready line as JSON and keep the logs JSON (what scripts and log shippers read).', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Dev);
    const startedAt = performance.now();
    // Opening the embedded database is the longest part of a start: it starts first, on a thread
    // of its own, and goes on while the gateway's modules load and its HTTP app is built; nothing
    // of the gateway, nor of core (the banner and the log formatter use it), is imported at the
    // top of this file for that reason. A new data dir starts from the cluster the build
    // migrated (the gateway migrates on start anyway).
    const embedded = openEmbeddedPostgres(flags['data-dir'], { migrated: true });
    const [{ runGateway }, { SEED_MERCHANT }, { seedWebhookSettings }, { devBanner }, { paintWith }, { PrettyLogStream }] = await Promise.all([
      import('../run-gateway.js'),
      import('@paygate/server'),
      import('../dev/seed-webhook-settings.js'),
      import('../dev/dev-banner.js'),
      import('../dev/paint.js'),
      import('../dev/pretty-log-stream.js'),
    ]);
    // People get the banner and readable lines; scripts, pipes and log files keep JSON.
    const isHuman = !flags.json && process.stdout.isTTY === true;
    const paint = paintWith(isHuman && !process.env['NO_COLOR']);
    const pretty = isHuman ? new PrettyLogStream(process.stdout, paint, true) : undefined;
    await runGateway({
      role: 'all',
      embedded,
      // dev is always embedded (PGlite + in-process queue), whatever DATABASE_URL and REDIS_URL say.
      env: { ...process.env, DATABASE_URL: undefined, REDIS_URL: undefined },
      overrides: {
        port: flags.port,
        ...(flags.host ? { host: flags.host } : {}),
        dataDir: flags['data-dir'],
        environment: 'development',
        ...(flags['test-mode'] ? { testMode: true } : {}),
        // The per-request, settlement and delivery lines are debug records (production keeps them
        // out of its volume); a person at a dev server wants them, unless LOG_LEVEL says otherwise.
        ...(pretty && !process.env['LOG_LEVEL'] ? { logLevel: 'debug' as const } : {}),
      },
      ...(pretty ? { logDestination: pretty } : {}),
      onReady: async (gateway) => {
        const url = gateway.url ?? '';
        const mode = gateway.config.testMode ? 'test' : 'development';
        if (pretty) {
          const webhook = await seedWebhookSettings(gateway);
          const startupMs = performance.now() - startedAt;
          const banner = {
            url,
            mode,
            dataDir: flags['data-dir'],
            startupMs,
            apiKey: SEED_MERCHANT.apiKey,
            apiSecret: SEED_MERCHANT.apiSecret,
            ...webhook,
          } as const;
          pretty.print(devBanner(banner, paint));
          return;
        }
        const dashboard = `${url}/dashboard`;
        const info = { status: 'ready', url, mode, database: flags['data-dir'], dashboard };
        if (flags.json) this.log(JSON.stringify(info));
        else {
          this.log(`Paygate ready at ${url} (${mode} mode, data in ${flags['data-dir']})`);
          this.log(`Dashboard: ${dashboard} (signed in as the seed test merchant)`);
        }
      },
    });
  }
}

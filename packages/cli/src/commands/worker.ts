import { Flags } from '@oclif/core';
import { ServerCommand } from '../server-command.js';
import { runGateway } from '../run-gateway.js';

export default class Worker extends ServerCommand {
  static override summary = 'Run a worker: settles payments and refunds, delivers webhooks, requeues lost work.';
  static override description = `Consumes the Redis queues (REDIS_URL) against PostgreSQL (DATABASE_URL). Run several for throughput.
Production unless --test-mode or TEST_MODE=true (use the same setting as the API processes).
On SIGTERM it stops taking jobs, finishes running ones within PAYGATE_SHUTDOWN_GRACE_MS, and exits.`;
  static override examples = ['<%= config.bin %> worker --concurrency 50'];
  static override flags = {
    concurrency: Flags.integer({ description: 'Jobs run at once per queue.', env: 'PAYGATE_WORKER_CONCURRENCY', default: 50, min: 1, max: 1000 }),
    'test-mode': Flags.boolean({
      description:
        'Test mode (seed merchant, /api/v1/test/*, simulated outcomes; see pg-cli dev --help). Off: production. Refused with PAYGATE_ENV=production.',
      env: 'TEST_MODE',
      default: false,
    }),
    json: Flags.boolean({ description: 'Print the ready line as JSON.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Worker);
    if (!process.env['DATABASE_URL'] || !process.env['REDIS_URL']) {
      this.error('pg-cli worker needs DATABASE_URL and REDIS_URL. For a local gateway without them, run: pg-cli dev', { exit: 2 });
    }
    await runGateway({
      role: 'worker',
      overrides: { workerConcurrency: flags.concurrency, ...(flags['test-mode'] ? { testMode: true } : {}) },
      onReady: (gateway) =>
        this.log(
          flags.json
            ? JSON.stringify({ status: 'ready', worker: gateway.workers?.id, concurrency: flags.concurrency })
            : `Paygate worker ready (${gateway.workers?.id}, concurrency ${flags.concurrency})`,
        ),
    });
  }
}

import { Flags } from '@oclif/core';
import { PaygateRestClient } from '@paygate/client';
import { BaseCommand } from '../base-command.js';
import { ApiSource } from '../dashboard/api-source.js';
import { runDashboard } from '../dashboard/run-dashboard.js';

// TODO(issue 11): extend ApiCommand (global flags, credential resolution, error rendering) once
// it lands from issue11-client; these three flags stand in for it meanwhile.
export default class Dashboard extends BaseCommand {
  static override summary = 'Watch a gateway live in the terminal: queue and workers, payments, webhook deliveries and their attempts.';
  static override description = `A full-screen view of a running gateway (pg-cli dev, or any gateway you have credentials for):
the header shows its URL, mode, worker status and queue counts; below, payments and refunds as they happen (from the
event stream) and the webhook deliveries with every attempt (status code, latency, response excerpt) and the payload.

Keys: ↑/↓ select a delivery, r retries it (POST /api/v1/webhooks/:id/retry), f shows only failing ones, q quits and
gives the terminal back. It follows the terminal's size. When stdout is not a terminal (a pipe, a file, CI) it prints
one plain line per event, delivery attempt and queue change instead; --json prints those as one REST object per line.`;
  static override examples = [
    '<%= config.bin %> dashboard',
    '<%= config.bin %> dashboard --api-url http://127.0.0.1:9000',
    '<%= config.bin %> dashboard > activity.log   # a plain line log, until Ctrl-C',
    '<%= config.bin %> dashboard --json | jq -c \'select(.entity == "webhook_delivery")\'',
  ];
  static override flags = {
    'api-url': Flags.string({ description: "The gateway's URL.", env: 'PAYGATE_API_URL', default: 'http://127.0.0.1:8000' }),
    'api-key': Flags.string({ description: "The merchant's API key.", env: 'PAYGATE_API_KEY', default: 'key_test_abc123' }),
    'api-secret': Flags.string({ description: "The merchant's API secret.", env: 'PAYGATE_API_SECRET', default: 'secret_test_xyz789' }),
    json: Flags.boolean({ description: 'One JSON object per line (event envelopes, deliveries, job status) instead of the view.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Dashboard);
    const client = new PaygateRestClient({ apiUrl: flags['api-url'], apiKey: flags['api-key'], apiSecret: flags['api-secret'] });
    await runDashboard({ source: new ApiSource(client), json: flags.json });
  }
}

import { ApiCommand } from '../api-command.js';
import { ApiSource } from '../dashboard/api-source.js';

export default class Dashboard extends ApiCommand<typeof Dashboard> {
  static override summary = 'Watch a gateway live in the terminal: queue and workers, payments, webhook deliveries and their attempts.';
  static override description = `A full-screen view of a running gateway (pg-cli dev, or any gateway you have credentials for). The header shows its URL, mode, worker status and queue counts; below come payments and refunds as they happen (from the event stream) and the webhook deliveries with every attempt (status code, latency, response excerpt) and the payload. It follows the terminal's size.

Keys: ↑/↓ select a delivery, r retries it (POST /api/v1/webhooks/:id/retry), f shows only failing ones (given up, or retrying after a failure), q quits and gives the terminal back.

When stdout is not a terminal (a pipe, a file, CI) it prints one plain line per event, delivery attempt and queue change instead, until Ctrl-C; --json prints those as one REST object per line.`;
  static override examples = [
    '<%= config.bin %> dashboard',
    '<%= config.bin %> dashboard --api-url http://127.0.0.1:9000',
    '<%= config.bin %> dashboard > activity.log   # a plain line log, until Ctrl-C',
    '<%= config.bin %> dashboard --json | jq -c \'select(.entity == "webhook_delivery")\'',
  ];
  async run(): Promise<void> {
    // A gateway that is not there or refuses these credentials at launch is the usual one-line error
    // and exit code; once running, the dashboard says what goes wrong and keeps trying.
    await this.client.webhooks.list({ limit: 1 });
    if (process.stdout.isTTY) {
      // Ink draws nothing but the last frame when it believes it runs in CI (is-in-ci reads CI and
      // CONTINUOUS_INTEGRATION when Ink is first imported). A terminal means a person is watching,
      // so the live view it is, even in a shell that has CI set: Ink is loaded only after this.
      process.env['CI'] = 'false';
      delete process.env['CONTINUOUS_INTEGRATION'];
    }
    const { runDashboard } = await import('../dashboard/run-dashboard.js');
    // Nothing is returned: --json output is the stream of objects the line log prints, not one document at the end.
    await runDashboard({ source: new ApiSource(this.client), json: this.jsonEnabled() });
  }
}

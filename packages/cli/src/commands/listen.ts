import { Flags } from '@oclif/core';
import { WEBHOOK_EVENT_TYPES } from '@paygate/core/domain';
import { ApiCommand } from '../api-command.js';
import { UsageError } from '../api/cli-failure.js';
import { runListen } from '../listen/run-listen.js';

/** Event types `--events` accepts: every webhook event, and the test webhook. */
const LISTEN_EVENT_TYPES: readonly string[] = [...WEBHOOK_EVENT_TYPES, 'webhook.test'];

/** `--forward-to` as an http(s) URL, or a usage error naming the flag. */
function parseForwardTo(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--forward-to must be a URL such as http://127.0.0.1:4000/webhook; got '${text}'`, 'forward-to');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--forward-to must be an http:// or https:// URL; got '${text}'`, 'forward-to');
  }
  return url.href;
}

/** `--events a,b` as a list of known event types, or a usage error listing them. */
function parseEvents(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !LISTEN_EVENT_TYPES.includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(`--events takes a comma-separated list of ${LISTEN_EVENT_TYPES.join(', ')}; got '${text}'`, 'events');
  }
  return names;
}

export default class Listen extends ApiCommand<typeof Listen> {
  static override summary = "Forward the gateway's events to a local URL, signed as real webhook deliveries.";
  static override description = `Subscribes to the merchant's event stream and POSTs each event to --forward-to with the same headers a real delivery carries (webhook-id, webhook-timestamp, webhook-signature and X-Webhook-Signature, signed with the merchant's current webhook secret), so your receiver's verification code runs unchanged.

Prints a line containing "Ready" once subscribed, then one line per forward attempt: time, event, event id, the receiver's status, latency. A forward that fails (non-2xx, timeout, connection refused) is retried on the webhook schedule: 1m, 5m, 30m, 2h, or 5s, 10s, 15s, 20s on the gateway's clock when it runs in test mode (pg-cli clock advance plays them out).

If the gateway restarts or the network drops, listen reconnects with backoff and resumes after the last event it got (Last-Event-ID): nothing is missed. Every forward is kept in a history file under the user's data dir ($XDG_DATA_HOME/paygate/listen/), so a restarted listen first delivers what it still owed, then resumes the stream where it stopped.

Ctrl-C stops it; forwards still owed are delivered by the next listen.`;
  static override examples = [
    {
      description: 'Forward every event to a local receiver',
      command: '<%= config.bin %> listen --forward-to http://127.0.0.1:4000/webhook',
    },
    {
      description: 'Only payment outcomes, as JSON lines for a script',
      command: '<%= config.bin %> listen --forward-to http://127.0.0.1:4000/webhook --events payment.success,payment.failed --json',
    },
    {
      description: 'Print the secret your receiver should verify with, and exit',
      command: '<%= config.bin %> listen --print-secret',
    },
  ];
  static override flags = {
    'forward-to': Flags.string({ description: 'URL to POST each event to, e.g. http://127.0.0.1:4000/webhook.', env: 'PAYGATE_FORWARD_TO' }),
    events: Flags.string({ description: `Only these event types, comma-separated (${LISTEN_EVENT_TYPES.join(', ')}).` }),
    'print-secret': Flags.boolean({ description: 'Print the webhook signing secret forwards are signed with, and exit.', default: false }),
  };

  async run(): Promise<{ webhook_secret: string } | undefined> {
    const { flags } = this;
    const json = this.jsonEnabled();
    if (flags['print-secret']) {
      const { webhook_secret } = await this.client.webhooks.config.get();
      // --json: oclif prints the returned object
      return this.show({ webhook_secret }, (v) => v.webhook_secret);
    }
    if (flags['forward-to'] === undefined) {
      throw new UsageError('listen needs --forward-to <url> (where to POST the events), or --print-secret', 'forward-to');
    }
    const forwardTo = parseForwardTo(flags['forward-to']);
    const events = parseEvents(flags.events);

    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await runListen(
        this.client,
        {
          forwardTo,
          events,
          dataDir: this.config.dataDir,
          apiKey: this.credentials.apiKey,
          json,
          // Written directly: under --json oclif's log() is silent (it keeps stdout for one
          // document), and a stream is one JSON object per line instead.
          print: (line) => (line.stream === 'stdout' ? process.stdout : process.stderr).write(`${line.text}\n`),
        },
        stop.signal,
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return undefined;
  }
}

import { Flags } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { webhookConfigBlock } from '../../ui/objects/webhook.js';

export default class WebhooksConfig extends ApiCommand<typeof WebhooksConfig> {
  static override summary = 'Show or set the webhook endpoint: URL, events and the signing secret.';
  static override description =
    'Without flags it shows the configuration. --url sets the endpoint (and enables it again after a 410); --events limits the event types sent ("all" for every type).';
  static override examples = [
    '<%= config.bin %> webhooks config',
    '<%= config.bin %> webhooks config --url http://127.0.0.1:4000/webhook',
    '<%= config.bin %> webhooks config --events payment.success,payment.failed',
    '<%= config.bin %> webhooks config --events all --json',
  ];
  static override flags = {
    url: Flags.string({ description: 'The endpoint URL (http or https); "none" stops sending.' }),
    events: Flags.string({ description: 'Comma-separated event types to send, or "all".' }),
  };

  async run() {
    const { url, events } = this.flags;
    if (url === undefined && events === undefined) return this.show(await this.client.webhooks.config.get(), webhookConfigBlock);
    // The API takes the URL on every update: keep the current one when only --events is given.
    const webhookUrl = url === undefined ? (await this.client.webhooks.config.get()).webhook_url : url === 'none' ? null : url;
    const eventList =
      events === undefined
        ? {}
        : {
            events:
              events.trim() === 'all'
                ? null
                : events
                    .split(',')
                    .map((e) => e.trim())
                    .filter(Boolean),
          };
    return this.show(await this.client.webhooks.config.update({ webhook_url: webhookUrl, ...eventList }), webhookConfigBlock);
  }
}

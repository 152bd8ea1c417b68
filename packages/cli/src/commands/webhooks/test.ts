import { ApiCommand } from '../../api-command.js';
import { formatKeyValues } from '../../ui/format.js';

export default class WebhooksTest extends ApiCommand<typeof WebhooksTest> {
  static override summary = 'Send a webhook.test event to the configured endpoint.';
  static override examples = ['<%= config.bin %> webhooks test', '<%= config.bin %> webhooks test --json | jq -r .delivery_id'];

  async run() {
    const sent = await this.client.webhooks.test();
    return this.show(sent, (s) =>
      formatKeyValues([
        ['Event', s.event_id],
        ['Delivery', `${s.delivery_id} (${this.config.bin} webhooks get ${s.delivery_id})`],
        ['URL', s.webhook_url],
        ['Status', s.status],
      ]),
    );
  }
}

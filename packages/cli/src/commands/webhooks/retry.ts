import { Args } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { formatKeyValues } from '../../ui/format.js';

export default class WebhooksRetry extends ApiCommand<typeof WebhooksRetry> {
  static override summary = 'Deliver a webhook again, now (a failed one, or one to replay).';
  static override examples = [
    '<%= config.bin %> webhooks retry whd_Zx8cV7bN6mL5kJ4h',
    '<%= config.bin %> webhooks list --status failed --json | jq -r ".data[].id" | xargs -n1 <%= config.bin %> webhooks retry',
  ];
  static override args = { id: Args.string({ description: 'The delivery id (from webhooks list).', required: true }) };

  async run() {
    const result = await this.client.webhooks.retry(this.args.id);
    return this.show(result, (r) =>
      formatKeyValues([
        ['Delivery', r.id],
        ['Status', r.status],
        ['', r.message],
      ]),
    );
  }
}

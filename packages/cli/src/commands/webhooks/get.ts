import { Args } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { deliveryBlock } from '../../ui/objects/webhook.js';

export default class WebhooksGet extends ApiCommand<typeof WebhooksGet> {
  static override summary = 'Show a webhook delivery: its attempts (status code, latency, response) and payload.';
  static override examples = [
    '<%= config.bin %> webhooks get whd_Zx8cV7bN6mL5kJ4h',
    '<%= config.bin %> webhooks get whd_Zx8cV7bN6mL5kJ4h --json | jq .attempt_log',
  ];
  static override args = { id: Args.string({ description: 'The delivery id (from webhooks list).', required: true }) };

  async run() {
    return this.show(await this.client.webhooks.get(this.args.id), deliveryBlock);
  }
}

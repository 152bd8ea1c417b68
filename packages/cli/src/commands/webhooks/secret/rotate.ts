import { ApiCommand } from '../../../api-command.js';
import { webhookConfigBlock } from '../../../ui/objects/webhook.js';

export default class WebhooksSecretRotate extends ApiCommand<typeof WebhooksSecretRotate> {
  static override summary = 'Rotate the webhook signing secret.';
  static override description =
    'Prints the new secret. The old one keeps signing deliveries too (both signatures are sent) for a grace period, so receivers can switch without losing any.';
  static override examples = ['<%= config.bin %> webhooks secret rotate', '<%= config.bin %> webhooks secret rotate --json | jq -r .webhook_secret'];

  async run() {
    return this.show(await this.client.webhooks.secret.regenerate(), webhookConfigBlock);
  }
}

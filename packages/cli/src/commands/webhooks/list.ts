import { Flags } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { pageFlags } from '../../api/page-flags.js';
import { deliveryTable } from '../../ui/objects/webhook.js';

export default class WebhooksList extends ApiCommand<typeof WebhooksList> {
  static override summary = 'The webhook delivery log, newest first, with every attempt.';
  static override examples = [
    '<%= config.bin %> webhooks list',
    '<%= config.bin %> webhooks list --status failed',
    '<%= config.bin %> webhooks list --event payment.success --limit 50 --json',
  ];
  static override flags = {
    status: Flags.string({ description: 'Only deliveries in this status.', options: ['pending', 'success', 'failed'] }),
    event: Flags.string({ description: 'Only deliveries of this event type (e.g. payment.success).' }),
    ...pageFlags,
  };

  async run() {
    const { status, event, limit, offset } = this.flags;
    return this.show(await this.client.webhooks.list({ status, event, limit, offset }), deliveryTable);
  }
}

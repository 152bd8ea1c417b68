import { Flags } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
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
    limit: Flags.integer({ description: 'How many to show (1 to 100).', default: 10, min: 1, max: 100 }),
    offset: Flags.integer({ description: 'How many to skip.', default: 0, min: 0 }),
  };

  async run() {
    const { status, event, limit, offset } = this.flags;
    return this.show(await this.client.webhooks.list({ status, event, limit, offset }), deliveryTable);
  }
}

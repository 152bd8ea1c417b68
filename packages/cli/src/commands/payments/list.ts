import { Flags } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { paymentTable } from '../../ui/objects/payment.js';

export default class PaymentsList extends ApiCommand<typeof PaymentsList> {
  static override summary = 'List payments, newest first.';
  static override examples = [
    '<%= config.bin %> payments list',
    '<%= config.bin %> payments list --status failed --limit 20',
    '<%= config.bin %> payments list --order order_NXhj67fGH2jk9mPq --json',
  ];
  static override flags = {
    status: Flags.string({ description: 'Only payments in this status.', options: ['pending', 'success', 'failed'] }),
    order: Flags.string({ description: "Only this order's payments (order_…)." }),
    limit: Flags.integer({ description: 'How many to show (1 to 100).', default: 10, min: 1, max: 100 }),
    offset: Flags.integer({ description: 'How many to skip.', default: 0, min: 0 }),
  };

  async run() {
    const { status, order, limit, offset } = this.flags;
    return this.show(await this.client.payments.list({ limit, offset, status, order_id: order }), paymentTable);
  }
}

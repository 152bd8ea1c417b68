import { Flags } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { pageFlags } from '../../api/page-flags.js';
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
    ...pageFlags,
  };

  async run() {
    const { status, order, limit, offset } = this.flags;
    return this.show(await this.client.payments.list({ limit, offset, status, order_id: order }), paymentTable);
  }
}

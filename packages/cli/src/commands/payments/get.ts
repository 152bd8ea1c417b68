import { Args } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { paymentBlock } from '../../ui/objects/payment.js';

export default class PaymentsGet extends ApiCommand<typeof PaymentsGet> {
  static override summary = 'Show a payment: status, amount, what is refunded.';
  static override examples = ['<%= config.bin %> payments get pay_H8sK3jD9s2L1pQr7', '<%= config.bin %> payments get pay_H8sK3jD9s2L1pQr7 --json | jq .status'];
  static override args = { id: Args.string({ description: 'The payment id (pay_…).', required: true }) };

  async run() {
    return this.show(await this.client.payments.get(this.args.id), paymentBlock);
  }
}

import { Args, Flags } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { paymentBlock } from '../../ui/objects/payment.js';

export default class PaymentsCapture extends ApiCommand<typeof PaymentsCapture> {
  static override summary = 'Capture a successful payment.';
  static override examples = [
    '<%= config.bin %> payments capture pay_H8sK3jD9s2L1pQr7',
    '<%= config.bin %> payments capture pay_H8sK3jD9s2L1pQr7 --amount 50000 --json',
  ];
  static override args = { id: Args.string({ description: 'The payment id (pay_…).', required: true }) };
  static override flags = {
    amount: Flags.integer({ description: "Amount to capture in minor units [default: the payment's amount].", min: 1 }),
  };

  async run() {
    const { amount } = this.flags;
    return this.show(await this.client.payments.capture(this.args.id, amount !== undefined ? { amount } : {}), paymentBlock);
  }
}

import { Flags } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { refundBlock } from '../../ui/objects/payment.js';

export default class RefundsCreate extends ApiCommand<typeof RefundsCreate> {
  static override summary = 'Refund a payment, fully or partly.';
  static override description =
    'Without --amount the whole refundable amount is refunded. Refunds of one payment never add up to more than it: `payments get` shows what is left.';
  static override examples = [
    '<%= config.bin %> refunds create --payment pay_H8sK3jD9s2L1pQr7',
    '<%= config.bin %> refunds create --payment pay_H8sK3jD9s2L1pQr7 --amount 10000 --reason "damaged in transit"',
    '<%= config.bin %> refunds create --payment pay_H8sK3jD9s2L1pQr7 --amount 10000 --json | jq -r .id',
  ];
  static override flags = {
    payment: Flags.string({ description: 'The payment to refund (pay_…).', required: true }),
    amount: Flags.integer({ description: 'Amount in minor units [default: all that is left to refund].', min: 1 }),
    reason: Flags.string({ description: 'Why, for your records.' }),
  };

  async run() {
    const { payment, amount, reason } = this.flags;
    const refund = await this.client.refunds.create(payment, { ...(amount !== undefined ? { amount } : {}), ...(reason !== undefined ? { reason } : {}) });
    return this.show(refund, refundBlock);
  }
}

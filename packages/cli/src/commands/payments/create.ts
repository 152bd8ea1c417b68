import { Flags } from '@oclif/core';
import type { CreatePaymentInput, Payment } from '@paygate/client/rest';
import { ApiCommand } from '../../api-command.js';
import { UsageError } from '../../api/cli-failure.js';
import { paymentBlock } from '../../ui/objects/payment.js';
import { waitForPayment } from '../../services/wait-for-payment.js';

/** `MM/YY` (or `MM/YYYY`) as the API's month and year. */
function parseExpiry(text: string): { expiry_month: number; expiry_year: number } {
  const match = /^(0?[1-9]|1[0-2])\/(\d{2}|\d{4})$/.exec(text.trim());
  if (!match) throw new UsageError(`--expiry must be MM/YY, such as 12/30; got '${text}'`, 'expiry');
  const year = Number(match[2]);
  return { expiry_month: Number(match[1]), expiry_year: year < 100 ? 2000 + year : year };
}

/** A card that expires five years from now: test cards need not say. */
const defaultExpiry = () => `12/${String((new Date().getUTCFullYear() + 5) % 100).padStart(2, '0')}`;

export default class PaymentsCreate extends ApiCommand<typeof PaymentsCreate> {
  static override summary = 'Pay an order with UPI or a card.';
  static override description = `The gateway answers at once with status pending; --wait waits until the payment is success or failed.
In test mode the outcome is decided by magic values: VPA success@paygate or failure@paygate; card 4111 1111 1111 1111 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 5126 succeeds but its refunds fail.`;
  static override examples = [
    '<%= config.bin %> payments create --order order_NXhj67fGH2jk9mPq --vpa success@paygate --wait',
    '<%= config.bin %> payments create --order order_NXhj67fGH2jk9mPq --card "4111 1111 1111 1111" --expiry 12/30 --cvv 123 --wait --json',
    '<%= config.bin %> payments create --order order_NXhj67fGH2jk9mPq --vpa failure@paygate --idempotency-key checkout-42',
  ];
  static override flags = {
    order: Flags.string({ description: 'The order to pay (order_…).', required: true }),
    vpa: Flags.string({ description: 'Pay by UPI with this address (e.g. success@paygate).', exactlyOne: ['vpa', 'card'] }),
    card: Flags.string({ description: 'Pay by card with this number (spaces allowed).', exactlyOne: ['vpa', 'card'] }),
    expiry: Flags.string({ description: "The card's expiry, MM/YY [default: December, five years on].", dependsOn: ['card'] }),
    // No oclif default: a default would count as given, and --vpa payments would then need --card.
    cvv: Flags.string({ description: "The card's CVV [default: 123].", dependsOn: ['card'] }),
    'idempotency-key': Flags.string({ description: 'Send as Idempotency-Key: a retry with the same key and flags returns the first payment.' }),
    wait: Flags.boolean({ description: 'Wait until the payment is success or failed, then print it.', default: false }),
  };

  async run() {
    const { order, vpa, card, cvv, wait } = this.flags;
    const input: CreatePaymentInput =
      vpa !== undefined
        ? { order_id: order, method: 'upi', vpa }
        : { order_id: order, method: 'card', card: { number: card!, cvv: cvv ?? '123', ...parseExpiry(this.flags.expiry ?? defaultExpiry()) } };
    const key = this.flags['idempotency-key'];
    let payment: Payment = await this.client.payments.create(input, key !== undefined ? { idempotencyKey: key } : {});
    if (wait && payment.status === 'pending') {
      if (!this.jsonEnabled() && process.stderr.isTTY) process.stderr.write(`Payment ${payment.id} is pending; waiting for the outcome…\n`);
      payment = await waitForPayment(this.client, payment.id);
    }
    return this.show(payment, paymentBlock);
  }
}

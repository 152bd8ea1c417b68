import { Args } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { refundBlock } from '../../ui/objects/payment.js';

export default class RefundsGet extends ApiCommand<typeof RefundsGet> {
  static override summary = 'Show a refund.';
  static override examples = ['<%= config.bin %> refunds get rfnd_Ab3kLm9PqRs7TuV2', '<%= config.bin %> refunds get rfnd_Ab3kLm9PqRs7TuV2 --json | jq .status'];
  static override args = { id: Args.string({ description: 'The refund id (rfnd_…).', required: true }) };

  async run() {
    return this.show(await this.client.refunds.get(this.args.id), refundBlock);
  }
}

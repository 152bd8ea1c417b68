import { Flags } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { orderTable } from '../../ui/objects/order.js';

export default class OrdersList extends ApiCommand<typeof OrdersList> {
  static override summary = 'List orders, newest first.';
  static override examples = [
    '<%= config.bin %> orders list',
    '<%= config.bin %> orders list --limit 50 --offset 50',
    '<%= config.bin %> orders list --json | jq ".data[].id"',
  ];
  static override flags = {
    limit: Flags.integer({ description: 'How many to show (1 to 100).', default: 10, min: 1, max: 100 }),
    offset: Flags.integer({ description: 'How many to skip.', default: 0, min: 0 }),
  };

  async run() {
    return this.show(await this.client.orders.list({ limit: this.flags.limit, offset: this.flags.offset }), orderTable);
  }
}

import { Args } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { orderBlock } from '../../ui/objects/order.js';

export default class OrdersGet extends ApiCommand<typeof OrdersGet> {
  static override summary = 'Show an order.';
  static override examples = ['<%= config.bin %> orders get order_NXhj67fGH2jk9mPq', '<%= config.bin %> orders get order_NXhj67fGH2jk9mPq --json'];
  static override args = { id: Args.string({ description: 'The order id (order_…).', required: true }) };

  async run() {
    return this.show(await this.client.orders.get(this.args.id), orderBlock);
  }
}

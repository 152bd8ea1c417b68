import { ApiCommand } from '../../api-command.js';
import { pageFlags } from '../../api/page-flags.js';
import { orderTable } from '../../ui/objects/order.js';

export default class OrdersList extends ApiCommand<typeof OrdersList> {
  static override summary = 'List orders, newest first.';
  static override examples = [
    '<%= config.bin %> orders list',
    '<%= config.bin %> orders list --limit 50 --offset 50',
    '<%= config.bin %> orders list --json | jq ".data[].id"',
  ];
  static override flags = {
    ...pageFlags,
  };

  async run() {
    return this.show(await this.client.orders.list({ limit: this.flags.limit, offset: this.flags.offset }), orderTable);
  }
}

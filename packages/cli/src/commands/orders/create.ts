import { Flags } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { UsageError } from '../../api/cli-failure.js';
import { orderBlock } from '../../ui/objects/order.js';

/** `--notes k=v` pairs as the API's notes object. */
function parseNotes(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const notes: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--notes takes key=value pairs, such as --notes customer=42; got '${pair}'`, 'notes');
    notes[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return notes;
}

export default class OrdersCreate extends ApiCommand<typeof OrdersCreate> {
  static override summary = 'Create an order.';
  static override description = 'The amount is an integer in minor units (paise for INR): 50000 is ₹500.00. Pay it with `payments create --order <id>`.';
  static override examples = [
    '<%= config.bin %> orders create --amount 50000',
    '<%= config.bin %> orders create --amount 1999 --currency USD --receipt receipt_42 --notes customer=42 --notes plan=pro',
    'ORDER=$(<%= config.bin %> orders create --amount 50000 --json | jq -r .id)',
  ];
  static override flags = {
    amount: Flags.integer({ description: 'Amount in minor units (an integer > 0; 50000 is ₹500.00).', required: true, min: 1 }),
    currency: Flags.string({ description: 'ISO 4217 currency code.', default: 'INR' }),
    receipt: Flags.string({ description: 'Your own reference for the order (e.g. an invoice number).' }),
    notes: Flags.string({ description: 'A key=value note; repeat for more.', multiple: true, multipleNonGreedy: true }),
  };

  async run() {
    const { amount, currency, receipt } = this.flags;
    const notes = parseNotes(this.flags.notes);
    const order = await this.client.orders.create({ amount, currency, ...(receipt !== undefined ? { receipt } : {}), ...(notes ? { notes } : {}) });
    return this.show(order, orderBlock);
  }
}

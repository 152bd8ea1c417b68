import { Args, Flags } from '@oclif/core';
import { ApiCommand } from '../api-command.js';
import { UsageError, type CliFailure } from '../api/cli-failure.js';
import { formatAmount, formatKeyValues } from '../ui/format.js';
import { EventWatch } from '../trigger/event-watch.js';
import { DEFAULT_TRIGGER_AMOUNT, isTriggerEvent, runTrigger, TRIGGER_EVENTS, type TriggerResult } from '../trigger/trigger-flow.js';

export default class Trigger extends ApiCommand<typeof Trigger> {
  static override summary = 'Set off a webhook event by running its fixture flow through the API.';
  static override description = `Makes the objects the event needs through the gateway's API, as your integration would: an order, a payment with the magic value that gives the outcome (success@paygate, failure@paygate, or the card 4000 0000 0000 5126 whose refunds fail), waits for the outcome on the event stream, and refunds the payment when the event is a refund's. webhook.test sends the test webhook to the configured URL.

Prints the objects and the id of the event set off (--json: one JSON document). A pg-cli listen running meanwhile forwards the event to your receiver.

Events: ${TRIGGER_EVENTS.join(', ')}.`;
  static override examples = [
    { description: 'A successful payment (order ₹500.00, UPI success@paygate)', command: '<%= config.bin %> trigger payment.success' },
    { description: 'A refund that fails, for a ₹12.34 payment, as JSON', command: '<%= config.bin %> trigger refund.failed --amount 1234 --json' },
    { description: 'The test webhook, to the URL set with webhooks config', command: '<%= config.bin %> trigger webhook.test' },
  ];
  static override args = {
    event: Args.string({ description: `The event to set off: ${TRIGGER_EVENTS.join(', ')}.`, required: true }),
  };
  static override flags = {
    amount: Flags.integer({ description: `The order's amount in minor units (default ${DEFAULT_TRIGGER_AMOUNT}, ₹500.00).`, min: 1 }),
  };

  async run(): Promise<TriggerResult> {
    const { args, flags } = this;
    if (!isTriggerEvent(args.event)) {
      throw new UsageError(`Unknown event '${args.event}'; trigger one of ${TRIGGER_EVENTS.join(', ')}`, 'event');
    }
    // Subscribed before the first object is made, so the event cannot slip past.
    const watch = args.event === 'webhook.test' ? undefined : await EventWatch.open(({ signal, onOpen }) => this.client.events.stream({ signal, onOpen }));
    let result: TriggerResult;
    try {
      result = await runTrigger(this.client, watch!, args.event, { ...(flags.amount !== undefined ? { amount: flags.amount } : {}) });
    } finally {
      watch?.close();
    }
    return this.show(result, triggerBlock);
  }

  /** webhook.test needs an endpoint: say how to set one from here, not with the REST call. */
  protected override hintFor(failure: CliFailure): string | undefined {
    if (failure.field === 'webhook_url') return `Set one with ${this.config.bin} webhooks config --url http://127.0.0.1:4000/webhook, then trigger again.`;
    return undefined;
  }
}

/** The human form: a key/value block, the event id first (what a receiver dedupes on). */
function triggerBlock(result: TriggerResult): string {
  const describe = (o: TriggerResult['order']) =>
    o &&
    [o.id, o['status'], typeof o['amount'] === 'number' ? formatAmount(o['amount'], String(o['currency'] ?? 'INR')) : undefined].filter(Boolean).join('  ');
  return formatKeyValues([
    ['event', result.event],
    ['event id', result.event_id],
    ['order', describe(result.order)],
    ['payment', describe(result.payment)],
    ['refund', describe(result.refund)],
    ['delivery', result.delivery_id],
  ]);
}

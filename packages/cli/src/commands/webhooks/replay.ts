import { createInterface } from 'node:readline/promises';
import { Flags } from '@oclif/core';
import { GatewayUnreachableError } from '@paygate/client/rest';
import { WEBHOOK_EVENT_TYPES } from '@paygate/core/domain';
import { ApiCommand } from '../../api-command.js';
import { UsageError } from '../../api/cli-failure.js';
import { parseDuration } from '../../api/duration.js';
import { findDeliveriesToReplay, progressBar, replayDeliveries, summaryLine, type ReplaySummary } from '../../webhooks/replay-deliveries.js';

/** Above this many deliveries, replay asks first (unless --yes). */
export const CONFIRM_ABOVE = 10;

export default class WebhooksReplay extends ApiCommand<typeof WebhooksReplay> {
  static override summary = 'Deliver matching webhook deliveries again.';
  static override description = `Finds the deliveries in the log that match (by default every failed one; narrow with --since and --event) and delivers each again now, as webhooks retry does one by one. A delivery already scheduled is skipped.

Shows a progress bar on a terminal; prints one summary line, "replayed N, skipped N, failed N", when done (--json: the counts and each delivery's outcome). Asks before replaying more than ${CONFIRM_ABOVE} deliveries unless --yes (which scripts must pass).`;
  static override examples = [
    { description: 'Every failed delivery', command: '<%= config.bin %> webhooks replay' },
    {
      description: 'Failed payment.success deliveries of the last hour, without asking',
      command: '<%= config.bin %> webhooks replay --since 1h --event payment.success --yes',
    },
    {
      description: 'Deliver again what was delivered in the last 30 minutes, as JSON',
      command: '<%= config.bin %> webhooks replay --status success --since 30m --yes --json',
    },
  ];
  static override flags = {
    status: Flags.string({ description: 'Replay deliveries in this status.', options: ['failed', 'success'], default: 'failed' }),
    since: Flags.string({ description: 'Only deliveries created within this long: 90s, 30m, 2h, 1d.' }),
    event: Flags.string({ description: 'Only deliveries of this event type.', options: [...WEBHOOK_EVENT_TYPES, 'webhook.test'] }),
    yes: Flags.boolean({ char: 'y', description: `Replay without asking, however many match (asked above ${CONFIRM_ABOVE}).`, default: false }),
  };

  async run(): Promise<ReplaySummary | undefined> {
    const { flags } = this;
    const sinceMs = flags.since === undefined ? undefined : parseDuration(flags.since, 'since') * 1000;
    const since = sinceMs === undefined ? undefined : new Date((await this.gatewayNow()).getTime() - sinceMs);
    const deliveries = await findDeliveriesToReplay(this.client, { status: flags.status, since, event: flags.event });

    if (deliveries.length > CONFIRM_ABOVE && !flags.yes && !(await this.confirm(deliveries.length))) {
      process.stderr.write('Nothing replayed.\n');
      return undefined;
    }
    const onTty = process.stderr.isTTY === true && !this.jsonEnabled();
    const summary = await replayDeliveries(
      this.client,
      deliveries,
      onTty ? (done, total, s) => process.stderr.write(`\r${progressBar(done, total, s)}`) : undefined,
      (error) => error instanceof GatewayUnreachableError,
    );
    if (onTty && deliveries.length > 0) process.stderr.write('\n');
    return this.show(summary, summaryLine);
  }

  /** Asks on the terminal; without one, replaying that many needs --yes. */
  private async confirm(count: number): Promise<boolean> {
    if (!process.stdin.isTTY) {
      throw new UsageError(`${count} deliveries match; pass --yes to replay more than ${CONFIRM_ABOVE} without a terminal to ask on`, 'yes');
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(`Replay ${count} deliveries? [y/N] `)).trim());
    } finally {
      rl.close();
    }
  }

  /** The gateway's "now" (its test clock may run ahead), so --since means what the log shows. */
  private async gatewayNow(): Promise<Date> {
    try {
      return new Date((await this.client.test.clock.get()).now);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return new Date();
      throw error;
    }
  }
}

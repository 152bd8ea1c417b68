import { ApiCommand } from '../api-command.js';
import type { CliFailure } from '../api/cli-failure.js';
import { formatKeyValues } from '../ui/format.js';
import { testModeHint } from '../ui/objects/clock.js';

export default class Reset extends ApiCommand<typeof Reset> {
  static override summary = 'Test mode: delete all data and reset the clock.';
  static override description =
    "Empties every merchant's orders, payments, refunds, events and deliveries, and moves the clock back to real time. Only a gateway in test mode accepts it.";
  static override examples = ['<%= config.bin %> reset', '<%= config.bin %> reset --json'];

  async run() {
    const result = await this.client.test.reset();
    return this.show(result, (r) =>
      formatKeyValues([
        ['Reset', 'all data deleted'],
        ['Clock', r.now],
      ]),
    );
  }

  protected override hintFor(failure: CliFailure): string | undefined {
    return testModeHint(failure, this.config.bin);
  }
}

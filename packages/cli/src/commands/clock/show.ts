import { ApiCommand } from '../../api-command.js';
import type { CliFailure } from '../../api/cli-failure.js';
import { clockBlock, testModeHint } from '../../ui/objects/clock.js';

export default class ClockShow extends ApiCommand<typeof ClockShow> {
  static override summary = 'Test mode: show the gateway clock (its time and how far it was moved).';
  static override examples = ['<%= config.bin %> clock show', '<%= config.bin %> clock show --json | jq .offset_seconds'];

  async run() {
    return this.show(await this.client.test.clock.get(), clockBlock);
  }

  protected override hintFor(failure: CliFailure): string | undefined {
    return testModeHint(failure, this.config.bin);
  }
}

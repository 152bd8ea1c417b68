import { Args } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import { parseDuration } from '../../api/duration.js';
import type { CliFailure } from '../../api/cli-failure.js';
import { clockBlock, testModeHint } from '../../ui/objects/clock.js';

export default class ClockAdvance extends ApiCommand<typeof ClockAdvance> {
  static override summary = 'Test mode: move the gateway clock forward.';
  static override description =
    'Every process of the gateway sees the new time at once, and webhook retries that came due are sent now: the whole retry schedule (1 min, 5 min, 30 min, 2 h) plays out in seconds.';
  static override examples = ['<%= config.bin %> clock advance 30m', '<%= config.bin %> clock advance 2h', '<%= config.bin %> clock advance 1h30m --json'];
  static override args = { duration: Args.string({ description: 'How far: 90s, 30m, 2h, 1h30m, 1d.', required: true }) };

  async run() {
    const seconds = parseDuration(this.args.duration, 'duration');
    return this.show(await this.client.test.clock.advance(seconds), clockBlock);
  }

  protected override hintFor(failure: CliFailure): string | undefined {
    return testModeHint(failure, this.config.bin);
  }
}

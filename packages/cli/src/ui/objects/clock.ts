import type { ClockState } from '@paygate/client/rest';
import type { CliFailure } from '../../api/cli-failure.js';
import { formatKeyValues } from '../format.js';

/** `3900` as `1h05m`: how far the clock was moved. */
function formatOffset(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${String(m).padStart(h ? 2 : 1, '0')}m` : '', s || (!h && !m) ? `${s}s` : ''].join('');
}

export const clockBlock = (c: ClockState) =>
  formatKeyValues([
    ['Gateway time', c.now],
    ['Ahead of real time', formatOffset(c.offset_seconds)],
  ]);

/** A test-mode route answers 404 on a gateway that is not in test mode. */
export const testModeHint = (failure: CliFailure, bin: string) =>
  failure.code === 'NOT_FOUND_ERROR' ? `Test mode only: start the gateway with ${bin} dev --test-mode (or TEST_MODE=true).` : undefined;

import { PaygateError } from '@paygate/core';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A duration as people write it on a command line: `90s`, `30m`, `2h`, `1d`, or several
 * (`1h30m`), as milliseconds. `flag` names the flag in the error.
 */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+)\s*([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed.replace(/\s+/g, '')) {
    throw new PaygateError('BAD_REQUEST_ERROR', `${flag} must be a duration such as 90s, 30m, 2h or 1d; got '${text}'`, { field: flag.replace(/^--/, '') });
  }
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS], 0);
}

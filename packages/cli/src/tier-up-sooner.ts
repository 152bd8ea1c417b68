import { setFlagsFromString } from 'node:v8';

/**
 * Bytecode a function runs between two of V8's looks at whether to optimize it: a quarter of the
 * default of Node 20's V8 (67,584).
 *
 * A gateway's paths are warm, not hot, when payments come one at a time: thousands of payments
 * into a run, each process was still optimizing functions of the lone payment's path for the
 * first time and running the rest in the baseline tier, on the cores the payment waited for.
 * With a quarter of the budget, one payment in flight in split mode (bench `--only single
 * --single-payments 2000 --single-warm-up 1000`, three alternated rounds) took 4.8–5.0 ms at the
 * median against 5.2–5.8, 11.9–12.3 at the 99th percentile against 11.8–14.5, and 5.9–6.1 ms of
 * CPU in all against 6.7–7.4. An eighth of it did no better.
 */
const INTERRUPT_BUDGET = 16_896;

/**
 * The V8 flag that makes warm code optimize sooner, or undefined where it is not ours to set: the
 * process was started with its own `--interrupt-budget`, or runs a V8 after 11, whose tiers
 * (Maglev between the baseline and TurboFan) the budget above was not measured on.
 */
export function tierUpFlag(process: { execArgv: readonly string[]; versions: { v8: string } }): string | undefined {
  if (process.execArgv.some((arg) => arg.startsWith('--interrupt-budget'))) return undefined;
  if (Number(process.versions.v8.split('.')[0]) > 11) return undefined;
  return `--interrupt-budget=${INTERRUPT_BUDGET}`;
}

/**
 * Called once the gateway serves, not at start: from the first line, the same budget made
 * `pg-cli dev` compile so much more on its way up that it was ready 140–210 ms later (warm, of
 * about 1 s) and took 0.3–0.4 s more CPU to get there. V8 reads the flag each time it resets a
 * function's budget, so code already loaded takes it on from its next look.
 */
export function tierUpSooner(): void {
  const flag = tierUpFlag(process);
  if (flag) setFlagsFromString(flag);
}

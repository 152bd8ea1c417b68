import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kdamondPids, machineBusyMs, measureCpu, othersOfMachine, othersPerSecond } from './cpu.mjs';

/** Keeps this thread busy for `ms`. */
const spin = (ms) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('the CPU the rest of the machine took', () => {
  it("counts this process's own CPU among the machine's busy time (/proc/stat's ticks)", () => {
    const before = machineBusyMs();
    const self = process.cpuUsage();
    spin(300);
    const ownMs = (process.cpuUsage(self).user + process.cpuUsage(self).system) / 1000;
    // /proc/stat counts in 10 ms ticks on each core: allow two ticks of rounding.
    expect(machineBusyMs() - before).toBeGreaterThanOrEqual(ownMs - 20);
  });

  it('finds only the kernel DAMON threads as kdamond', () => {
    for (const pid of kdamondPids()) expect(readFileSync(`/proc/${pid}/comm`, 'utf8')).toMatch(/^kdamond/);
  });

  it("takes the roles' CPU and DAMON's out of the machine's busy time, and none below zero", () => {
    expect(othersOfMachine(1_000, 700, 50)).toEqual({ kdamond: 50, rest: 250 });
    expect(othersOfMachine(700, 710, 0)).toEqual({ kdamond: 0, rest: 0 });
    expect(othersPerSecond({ kdamond: 30, rest: 90 }, 3)).toEqual({ kdamond: 10, rest: 30 });
  });

  it('measures the others alongside the roles', async () => {
    const { spentMs, othersMs } = await measureCpu(
      async () => new Map(),
      async () => spin(250),
    );
    expect(spentMs.bench).toBeGreaterThanOrEqual(200);
    expect(Object.keys(othersMs).sort()).toEqual(['kdamond', 'rest']);
  });
});

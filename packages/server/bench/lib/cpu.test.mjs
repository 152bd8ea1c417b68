import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kdamondPids, machineBusyMs, measureCpu, othersOfMachine, othersPerSecond, threadShares, threadTimeOf } from './cpu.mjs';

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

  it("counts a child load generator's CPU, as its work reports it, as the bench's", async () => {
    const { spentMs } = await measureCpu(
      async () => new Map(),
      async () => ({ loadGeneratorCpuMs: 5_000 }),
    );
    expect(spentMs.bench).toBeGreaterThanOrEqual(5_000);
    expect(spentMs.bench).toBeLessThan(5_200);
  });
});

describe("a thread's time on a CPU and waiting for one", () => {
  it('counts the busy time of the thread that spins as on a CPU or waiting for one', () => {
    // Whichever thread of this process runs the test (vitest's pool decides): the one that grew.
    const threads = () => readdirSync(`/proc/${process.pid}/task`);
    const ready = (t) => (t ? t.onCpuMs + t.waitingMs : 0);
    const before = new Map(threads().map((tid) => [tid, threadTimeOf(process.pid, tid)]));
    spin(200);
    const grown = threads().map((tid) => ready(threadTimeOf(process.pid, tid)) - ready(before.get(tid)));
    // A shared host may keep the thread waiting part of the spin; on a CPU or waiting, it was never idle.
    expect(Math.max(...grown)).toBeGreaterThanOrEqual(190);
  });

  it('is undefined for a process that is not there', () => {
    expect(threadTimeOf(2 ** 22 + 1)).toBeUndefined();
  });

  it('gives each as a share of the run, and nothing without both readings', () => {
    expect(threadShares({ onCpuMs: 1_000, waitingMs: 100 }, { onCpuMs: 2_520, waitingMs: 340 }, 2)).toEqual({ on_cpu: 0.76, waiting_for_cpu: 0.12 });
    expect(threadShares(undefined, { onCpuMs: 1, waitingMs: 0 }, 2)).toBeUndefined();
    expect(threadShares({ onCpuMs: 1, waitingMs: 0 }, { onCpuMs: 2, waitingMs: 0 }, 0)).toBeUndefined();
  });
});

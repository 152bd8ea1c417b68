// CPU time (user + system) of the processes a measurement involves, read from /proc/<pid>/stat.
// CPU per payment is the figure to watch on a shared machine: throughput moves with whatever else
// runs on the cores, but the CPU a payment costs hardly does.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** user + system CPU ms of one process, or undefined once it has ended. */
export function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/**
 * What one thread of a process did with its time, in ms since it started: on a CPU, and
 * runnable but waiting in a run queue for one (/proc/<pid>/task/<tid>/schedstat, in ns; the
 * main thread by default). A thread that is on a CPU or waiting for one nearly all of a run is
 * what limits that run: it had no moment idle. Undefined once it has ended, or where the kernel
 * keeps no schedstat.
 */
export function threadTimeOf(pid, tid = pid) {
  try {
    const [onCpuNs, waitingNs] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
    if (!Number.isFinite(onCpuNs) || !Number.isFinite(waitingNs)) return undefined;
    return { onCpuMs: onCpuNs / 1e6, waitingMs: waitingNs / 1e6 };
  } catch {
    return undefined;
  }
}

/** The shares of `seconds` that a thread spent on a CPU and waiting for one, between two threadTimeOf readings. */
export function threadShares(before, after, seconds) {
  if (!before || !after || !(seconds > 0)) return undefined;
  const share = (ms) => Math.round((ms / (seconds * 1000)) * 100) / 100;
  return { on_cpu: share(after.onCpuMs - before.onCpuMs), waiting_for_cpu: share(after.waitingMs - before.waitingMs) };
}

/** Resident set size of one process in MiB (VmRSS), or undefined once it has ended. */
export function rssMiBOf(pid) {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU ms the whole machine spent busy (every core: processes, the kernel's threads and its
 * interrupts) since boot, from /proc/stat; undefined where there is none.
 */
export function machineBusyMs() {
  try {
    const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq) * TICK_MS;
  } catch {
    return undefined;
  }
}

let kdamondFound;

/**
 * The kernel's DAMON threads (`kdamond.N`). On the virtual machines these figures were taken on,
 * one pages out memory it finds cold, for up to 50 ms of CPU a second in bursts of several ms:
 * a burst that takes a core while a payment is in flight is a tail latency no code of ours made
 * (docs/performance-history.md, thirtieth sitting's view). Kernel threads outlive a bench run, so
 * /proc is scanned once, at the first measurement.
 */
export function kdamondPids() {
  kdamondFound ??= scanKdamondPids();
  return kdamondFound;
}

function scanKdamondPids() {
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      try {
        return readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('kdamond');
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/**
 * Measures the CPU spent by roles while `work` runs. `roles()` returns a Map pid → role name; it
 * is asked at the start and at the end (PostgreSQL backends come and go), and the union is used.
 * This process is always counted as `bench` (load generator and webhook receiver), through
 * process.cpuUsage(), which is finer than /proc's 10 ms ticks; so is a load generator that `work`
 * ran as a child process (wrk) and whose CPU its result reports as `loadGeneratorCpuMs`.
 */
export async function measureCpu(roles, work) {
  const startRoles = await roles();
  const before = new Map([...startRoles.keys()].map((pid) => [pid, cpuMsOf(pid) ?? 0]));
  const kdamond = kdamondPids();
  const kdamondBefore = kdamond.map((pid) => cpuMsOf(pid) ?? 0);
  const machineBefore = machineBusyMs();
  const self = process.cpuUsage();
  const result = await work();
  const selfUs = process.cpuUsage(self);
  const machineAfter = machineBusyMs();
  const endRoles = await roles();
  const all = new Map([...startRoles, ...endRoles]);
  const childMs = typeof result?.loadGeneratorCpuMs === 'number' ? result.loadGeneratorCpuMs : 0;
  const spentMs = { bench: (selfUs.user + selfUs.system) / 1000 + childMs };
  for (const [pid, role] of all) {
    const end = cpuMsOf(pid);
    if (end === undefined) continue; // ended during the run: its share is lost (rare; pools keep backends)
    spentMs[role] = (spentMs[role] ?? 0) + end - (before.get(pid) ?? 0);
  }
  const kdamondMs = kdamond.reduce((sum, pid, i) => sum + Math.max(0, (cpuMsOf(pid) ?? kdamondBefore[i]) - kdamondBefore[i]), 0);
  const oursMs = Object.values(spentMs).reduce((a, b) => a + b, 0);
  const othersMs = machineBefore === undefined || machineAfter === undefined ? undefined : othersOfMachine(machineAfter - machineBefore, oursMs, kdamondMs);
  return { result, spentMs, othersMs };
}

/**
 * What the rest of the machine took from the same cores while ours ran: not in CPU per payment,
 * but what a wait between stages may have waited for. Rounding of /proc/stat's ticks can make
 * the rest come out below zero; it is none then.
 */
export function othersOfMachine(machineMs, oursMs, kdamondMs) {
  return { kdamond: kdamondMs, rest: Math.max(0, machineMs - oursMs - kdamondMs) };
}

/** The others' CPU ms (measureCpu's othersMs) as ms per second of the run, rounded. */
export function othersPerSecond(othersMs, seconds) {
  return othersMs && Object.fromEntries(Object.entries(othersMs).map(([who, ms]) => [who, Math.round(ms / seconds)]));
}

/** CPU ms by role → µs per unit by role, plus the total, rounded. */
export function perUnitUs(spentMs, units) {
  const byRole = Object.fromEntries(Object.entries(spentMs).map(([role, ms]) => [role, Math.round((ms * 1000) / units)]));
  return { total: Object.values(byRole).reduce((a, b) => a + b, 0), ...byRole };
}

/** CPU ms by role minus what the deployment burns idle over the same seconds (never below 0). */
export function netOfIdle(spentMs, idleMsPerS, seconds) {
  return Object.fromEntries(Object.entries(spentMs).map(([role, ms]) => [role, Math.max(0, ms - (idleMsPerS[role] ?? 0) * seconds)]));
}

const IDLE_MS = 3_000;

/**
 * The CPU a deployment burns idle (timers, relay sweeps, queue housekeeping), ms per second by
 * role. At low throughput it dominates CPU per payment; a loaded machine lowers throughput, so
 * CPU per payment net of it is the figure that moves least with load.
 */
export async function measureIdle(deployment) {
  const idle = await measureCpu(deployment.roles, () => new Promise((r) => setTimeout(r, IDLE_MS)));
  delete idle.spentMs.bench; // the bench sleeps; what is left is the deployment's own
  return Object.fromEntries(Object.entries(idle.spentMs).map(([role, ms]) => [role, ms / (IDLE_MS / 1000)]));
}

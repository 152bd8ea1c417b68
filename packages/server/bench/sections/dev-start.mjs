// `pg-cli dev` from spawn to its "ready" line: cold (a fresh data dir: it unpacks the migrated
// cluster `npm run build` made, or runs initdb and the migrations where the build made none) and
// warm (the same dir again), and its resident memory once idle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMsOf, rssMiBOf } from '../lib/cpu.mjs';
import { freePort, startCli } from '../lib/processes.mjs';

const IDLE_SETTLE_MS = 2_000;

export async function devStartSection(children, { warmRuns = 5 } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'paygate-bench-start-'));
  const env = { ...process.env, TEST_MODE: 'true', LOG_LEVEL: 'warn' };
  const once = async () => {
    const dev = await startCli(children, 'dev', ['dev', '--test-mode', '--port', String(await freePort()), '--data-dir', dataDir], { env });
    const cpuToReady = cpuMsOf(dev.pid); // CPU to ready: what a loaded machine does not inflate
    await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
    const rss = rssMiBOf(dev.pid);
    await children.stop(dev);
    return { ready_ms: Math.round(dev.readyMs), cpu_ms_to_ready: cpuToReady, idle_rss_mib: rss };
  };
  try {
    const cold = await once();
    const warm = [];
    for (let i = 0; i < warmRuns; i += 1) warm.push(await once());
    const warmReady = warm.map((w) => w.ready_ms).sort((a, b) => a - b);
    return {
      cold_ready_ms: cold.ready_ms,
      cold_cpu_ms_to_ready: cold.cpu_ms_to_ready,
      warm_cpu_ms_to_ready: warm.map((w) => w.cpu_ms_to_ready),
      warm_ready_ms_median: warmReady[Math.floor(warmReady.length / 2)],
      warm_ready_ms_all: warmReady,
      idle_rss_mib: warm.at(-1).idle_rss_mib,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// `pg-cli dev` from spawn to its "ready" line: cold (a fresh data dir: it unpacks the migrated
// cluster `npm run build` made, or runs initdb and the migrations where the build made none) and
// warm (the same dir again); the first order, sent the instant it is ready, as a script that
// starts it and calls it at once would; and its resident memory once idle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMsOf, rssMiBOf } from '../lib/cpu.mjs';
import { apiClient } from '../lib/api-client.mjs';
import { freePort, startCli } from '../lib/processes.mjs';
import { percentile } from '../lib/stats.mjs';

const IDLE_SETTLE_MS = 2_000;

export async function devStartSection(children, { warmRuns = 5 } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'paygate-bench-start-'));
  const env = { ...process.env, TEST_MODE: 'true', LOG_LEVEL: 'warn' };
  const once = async () => {
    const port = await freePort();
    const dev = await startCli(children, 'dev', ['dev', '--test-mode', '--port', String(port), '--data-dir', dataDir], { env });
    const cpuToReady = cpuMsOf(dev.pid); // CPU to ready: what a loaded machine does not inflate
    // What the gateway still does in its first moments (cold catalogue, background work on
    // PGlite's one session) shows here, not in the ready time.
    const client = apiClient(`http://127.0.0.1:${port}`, 1);
    const t0 = performance.now();
    await client.post('/api/v1/orders', { amount: 50_000, currency: 'INR', receipt: 'first-after-ready' });
    const firstOrderMs = performance.now() - t0;
    await client.close();
    await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
    const rss = rssMiBOf(dev.pid);
    await children.stop(dev);
    return { ready_ms: Math.round(dev.readyMs), cpu_ms_to_ready: cpuToReady, first_order_ms: Math.round(firstOrderMs), idle_rss_mib: rss };
  };
  const median = (values) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  try {
    const cold = await once();
    const warm = [];
    for (let i = 0; i < warmRuns; i += 1) warm.push(await once());
    const warmReady = warm.map((w) => w.ready_ms).sort((a, b) => a - b);
    return {
      cold_ready_ms: cold.ready_ms,
      cold_cpu_ms_to_ready: cold.cpu_ms_to_ready,
      warm_cpu_ms_to_ready: warm.map((w) => w.cpu_ms_to_ready),
      warm_ready_ms_median: median(warmReady),
      warm_ready_ms_all: warmReady,
      cold_first_order_ms: cold.first_order_ms,
      warm_first_order_ms_median: median(warm.map((w) => w.first_order_ms)),
      warm_first_order_ms_all: warm.map((w) => w.first_order_ms),
      idle_rss_mib: warm.at(-1).idle_rss_mib,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

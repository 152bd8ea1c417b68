// What this run's PostgreSQL backends are doing while it goes on, sampled from pg_stat_activity:
// how many are busy on average (running a statement rather than waiting for their client) and
// what the busy ones wait on. CPU share alone cannot say whether PostgreSQL is the limit: a
// backend waiting for its commit to reach disk (IO:WALSync) or for a row lock (Lock:transactionid)
// burns no CPU, yet the payment behind it waits all the same.

/**
 * Starts sampling `db`'s backends every intervalMs; `stop()` ends it and resolves with the mean
 * number of busy backends and, for the busiest waits, the share of busy samples spent in each
 * ("CPU" is no wait event: running, or on this shared machine runnable and waiting for a core).
 */
export function samplePgActivity(db, { intervalMs = 100 } = {}) {
  let samples = 0;
  let busy = 0;
  const byWait = new Map();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const b of await db.activity()) {
        if (b.state !== 'active') continue;
        busy += 1;
        const wait = b.wait_event_type ? `${b.wait_event_type}:${b.wait_event}` : 'CPU';
        byWait.set(wait, (byWait.get(wait) ?? 0) + 1);
      }
      samples += 1;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const top = [...byWait].sort((a, b) => b[1] - a[1]).slice(0, 3);
      return {
        samples,
        busy_backends_mean: samples ? Number((busy / samples).toFixed(2)) : 0,
        busy_by_wait_pct: Object.fromEntries(top.map(([wait, n]) => [wait, Math.round((n / busy) * 100)])),
      };
    },
  };
}

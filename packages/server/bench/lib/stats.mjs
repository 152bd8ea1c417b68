// Percentiles and the "is a backlog building up" view of a run.

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** To 0.1 (ms), as the bench prints its latencies. */
export const round1 = (x) => Math.round(x * 10) / 10;

/** p50 / p99 / max of latencies (ms), to 0.1 ms. */
export function latencySummary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50_ms: round1(percentile(sorted, 50)), p99_ms: round1(percentile(sorted, 99)), max_ms: round1(sorted.at(-1) ?? NaN) };
}

/**
 * p50/p99 of the payments sent in each fifth of the run ("p50/p99" strings): flat means the
 * rate was sustained; growing means a backlog was building up.
 */
export function byFifth(timeline, spanMs) {
  return Array.from({ length: 5 }, (_, k) => {
    const window = timeline
      .filter(([at]) => at >= (k * spanMs) / 5 && (k === 4 || at < ((k + 1) * spanMs) / 5))
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
    return window.length ? `${Math.round(percentile(window, 50))}/${Math.round(percentile(window, 99))}` : '-';
  });
}

import { describe, expect, it } from 'vitest';
import { findDeliveriesToReplay, progressBar, replayDeliveries, summaryLine, type DeliverySummary, type ReplayApi } from './replay-deliveries.js';

const delivery = (n: number, change: Partial<DeliverySummary> = {}): DeliverySummary => ({
  id: `whd_${n}`,
  event: 'payment.success',
  event_id: `evt_${n}`,
  status: 'failed',
  // newest first, a minute apart
  created_at: new Date(Date.parse('2026-11-29T12:00:00Z') - n * 60_000).toISOString(),
  ...change,
});

/** A delivery log of `rows` (newest first) behind the list/retry API; `refuse` scripts retry errors. */
function fakeApi(rows: DeliverySummary[], refuse: Record<string, unknown> = {}) {
  const queries: unknown[] = [];
  const retried: string[] = [];
  const api: ReplayApi = {
    webhooks: {
      async list(query) {
        queries.push(query);
        const matching = rows.filter((r) => (!query.status || r.status === query.status) && (!query.event || r.event === query.event));
        return { data: matching.slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 10)), total: matching.length };
      },
      async retry(id) {
        if (refuse[id]) throw refuse[id];
        retried.push(id);
        return { id, status: 'pending', message: 'Webhook retry scheduled' };
      },
    },
  };
  return { api, queries, retried };
}

describe('webhooks replay', () => {
  it('finds every matching delivery across pages, filtered by status, event and age', async () => {
    const rows = Array.from({ length: 250 }, (_, n) => delivery(n, n % 5 === 0 ? { event: 'refund.failed' } : {}));
    const { api, queries } = fakeApi([...rows, delivery(999, { status: 'success' })]);
    expect(await findDeliveriesToReplay(api, { status: 'failed' })).toHaveLength(250);
    expect(queries).toEqual([0, 100, 200].map((offset) => ({ limit: 100, offset, status: 'failed' })));

    const recentRefunds = await findDeliveriesToReplay(api, {
      status: 'failed',
      event: 'refund.failed',
      since: new Date(Date.parse('2026-11-29T12:00:00Z') - 60 * 60_000),
    });
    expect(recentRefunds.map((d) => d.id)).toEqual([
      'whd_0',
      'whd_5',
      'whd_10',
      'whd_15',
      'whd_20',
      'whd_25',
      'whd_30',
      'whd_35',
      'whd_40',
      'whd_45',
      'whd_50',
      'whd_55',
      'whd_60',
    ]);
  });

  it('replays each, counting one already scheduled as skipped and another refusal as failed', async () => {
    const { api, retried } = fakeApi([], {
      whd_1: { code: 'BAD_REQUEST_ERROR', description: 'Webhook delivery whd_1 is pending: it is already scheduled.' },
      whd_2: { code: 'NOT_FOUND_ERROR', description: 'No webhook delivery whd_2 for this merchant.' },
    });
    const progress: string[] = [];
    const summary = await replayDeliveries(api, [delivery(0), delivery(1), delivery(2), delivery(3)], (done, total, s) =>
      progress.push(progressBar(done, total, s, 4)),
    );
    expect(retried).toEqual(['whd_0', 'whd_3']);
    expect(summaryLine(summary)).toBe('replayed 2, skipped 1, failed 1');
    expect(summary.deliveries.map((d) => d.outcome)).toEqual(['replayed', 'skipped', 'failed', 'replayed']);
    expect(progress.at(-1)).toBe('[####] 4/4  replayed 2, skipped 1, failed 1');
  });

  it('stops at an error the caller calls fatal (the gateway went away)', async () => {
    const gone = Object.assign(new Error('unreachable'), { code: 'ECONNREFUSED' });
    const { api } = fakeApi([], { whd_1: gone });
    await expect(replayDeliveries(api, [delivery(0), delivery(1), delivery(2)], undefined, (e) => e === gone)).rejects.toBe(gone);
  });
});

/** A delivery as `GET /api/v1/webhooks` lists it (the fields replay reads). */
export type DeliverySummary = { id: string; event: string; event_id: string; status: string; created_at: string } & Record<string, unknown>;

/** The part of the API client replay uses (`@paygate/client`'s `PaygateRestClient` has it). */
export interface ReplayApi {
  webhooks: {
    list(query: { limit?: number; offset?: number; status?: string; event?: string }): Promise<{ data: DeliverySummary[]; total: number }>;
    retry(id: string): Promise<{ id: string; status: string; message?: string }>;
  };
}

export type ReplayFilter = { status?: string | undefined; since?: Date | undefined; event?: string | undefined };

/** One delivery's fate: `replayed` (queued again), `skipped` (already scheduled), `failed` (refused). */
export type ReplayOutcome = { id: string; event: string; event_id: string; outcome: 'replayed' | 'skipped' | 'failed'; message: string };
export type ReplaySummary = { replayed: number; skipped: number; failed: number; deliveries: ReplayOutcome[] };

const PAGE = 100;

/**
 * Every delivery that matches, read page by page before any is replayed (replaying changes
 * their status, which would shift the pages under a listing still going). The log is newest
 * first, so it stops at the first delivery older than `since`.
 */
export async function findDeliveriesToReplay(api: ReplayApi, filter: ReplayFilter): Promise<DeliverySummary[]> {
  const found: DeliverySummary[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await api.webhooks.list({
      limit: PAGE,
      offset,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.event ? { event: filter.event } : {}),
    });
    for (const d of page.data) {
      if (filter.since && Date.parse(d.created_at) < filter.since.getTime()) return found;
      if (!filter.event || d.event === filter.event) found.push(d);
    }
    if (page.data.length < PAGE || offset + PAGE >= page.total) return found;
  }
}

/** "already scheduled" (the gateway's answer for a pending delivery) is a skip, not a failure. */
const isAlreadyScheduled = (error: unknown) =>
  (error as { code?: string }).code === 'BAD_REQUEST_ERROR' && /already scheduled/.test((error as { description?: string }).description ?? '');

/** Errors as a client may throw them: `{ code, description }` (PaygateApiError) or a plain Error. */
const messageOf = (error: unknown) => (error as { description?: string }).description ?? (error instanceof Error ? error.message : String(error));

/**
 * Delivers each one again (`POST /api/v1/webhooks/:id/retry`), one after the other, telling
 * `onProgress` after each. A delivery that is already pending is skipped; any other refusal is
 * counted as failed and the rest go on. An unreachable gateway stops the replay (thrown).
 */
export async function replayDeliveries(
  api: ReplayApi,
  deliveries: readonly DeliverySummary[],
  onProgress: (done: number, total: number, summary: ReplaySummary) => void = () => undefined,
  isFatal: (error: unknown) => boolean = () => false,
): Promise<ReplaySummary> {
  const summary: ReplaySummary = { replayed: 0, skipped: 0, failed: 0, deliveries: [] };
  for (const [i, d] of deliveries.entries()) {
    const base = { id: d.id, event: d.event, event_id: d.event_id };
    try {
      const answer = await api.webhooks.retry(d.id);
      summary.replayed += 1;
      summary.deliveries.push({ ...base, outcome: 'replayed', message: answer.message ?? 'Webhook retry scheduled' });
    } catch (error) {
      if (isFatal(error)) throw error;
      const outcome = isAlreadyScheduled(error) ? 'skipped' : 'failed';
      summary[outcome] += 1;
      summary.deliveries.push({ ...base, outcome, message: messageOf(error) });
    }
    onProgress(i + 1, deliveries.length, summary);
  }
  return summary;
}

/** The line a script reads: `replayed N, skipped N, failed N`. */
export const summaryLine = (s: Pick<ReplaySummary, 'replayed' | 'skipped' | 'failed'>) => `replayed ${s.replayed}, skipped ${s.skipped}, failed ${s.failed}`;

/** A one-line progress bar for a TTY (rewritten in place with `\r`). */
export function progressBar(done: number, total: number, summary: ReplaySummary, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${summaryLine(summary)}`;
}

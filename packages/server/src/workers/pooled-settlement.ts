import { createGroupCommit } from '../lib/batcher.js';
import type { Metrics } from '../metrics.js';

/**
 * A job handler that settles ids pooled with the other jobs running in this process (group
 * commit): while `maxInFlight` settlements run, the ids that come in wait and go together in the
 * next one (at most `maxBatch`), so a busy worker settles hundreds a second with a few
 * statements, and an idle one settles each id the moment its job arrives. A batch that fails is
 * settled again one id at a time, so one bad row fails only its own job.
 *
 * @param options.lingerWhileBusyMs  while a settlement runs, the next waits that long for more ids (see createBatcher).
 * @param options.batch  the `paygate_batch_items` label its batch sizes are counted under.
 */
export function pooledSettlement(
  metrics: Pick<Metrics, 'batchSize'>,
  options: { settle: (ids: string[]) => Promise<unknown>; maxBatch: number; maxInFlight: number; lingerWhileBusyMs?: number; batch: string },
): (ids: string[]) => Promise<'settled'> {
  const { settle } = options;
  const pool = createGroupCommit<string>({
    many: (batch) => settle(batch).then(() => batch.map(() => undefined)),
    one: (id) => settle([id]).then(() => undefined),
    maxBatch: options.maxBatch,
    maxInFlight: options.maxInFlight,
    ...(options.lingerWhileBusyMs ? { lingerWhileBusyMs: options.lingerWhileBusyMs } : {}),
    onBatch: (n) => metrics.batchSize.observe({ batch: options.batch }, n),
  });
  return (ids) => pool.add(ids).then(() => 'settled');
}

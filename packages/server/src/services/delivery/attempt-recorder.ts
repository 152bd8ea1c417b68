import { createGroupCommit, type Batcher } from '../../lib/batcher.js';
import { statementsAtOnce } from '../../lib/statements-at-once.js';
import { recordDeliveryAttempts, type AttemptOutcome } from '../../adapters/db/operations/deliveries.js';
import type { ServiceDeps } from '../service-deps.js';

/** Attempt-logging statements at once; attempts that finish meanwhile share the next one. */
const RECORDS_IN_FLIGHT = 4;
const MAX_RECORDS_PER_STATEMENT = 200;
/**
 * An attempt's log waits this long for others to share its statement. Nothing waits on the log
 * (the endpoint's slot frees when the receiver answers), and with payments one at a time each
 * attempt had a statement of its own, which on PGlite (one statement at a time) also held up the
 * next payment's insert.
 */
const RECORD_LINGER_MS = 50;

/**
 * Logs attempts as they end, in group commits shared with the attempts that end meanwhile (a
 * slow endpoint never holds another's record back), one bad row alone if need be.
 */
export function createAttemptRecorder(deps: ServiceDeps): Batcher<AttemptOutcome> {
  const record = (outcomes: AttemptOutcome[]) => recordDeliveryAttempts({ db: deps.db, outcomes, now: deps.clock.now() });
  return createGroupCommit<AttemptOutcome>({
    many: (batch) => record(batch).then(() => batch.map(() => undefined)),
    one: (outcome) => record([outcome]).then(() => undefined),
    maxBatch: MAX_RECORDS_PER_STATEMENT,
    maxInFlight: statementsAtOnce(deps.db, RECORDS_IN_FLIGHT),
    lingerMs: RECORD_LINGER_MS,
    onBatch: (n) => deps.metrics.batchSize.observe({ batch: 'delivery_record' }, n),
  });
}

import { claimDeliveryAttempts, failDeliveryWithoutAttempt, releaseDeliveries, type DeliveryToAttempt } from '../adapters/db/operations/deliveries.js';
import { attemptDelivery } from './delivery/attempt-delivery.js';
import { createAttemptRecorder } from './delivery/attempt-recorder.js';
import { createBusyTracker } from './delivery/busy-tracker.js';
import { createEndpointSlots } from './delivery/endpoint-slots.js';
import type { LeasedDeliveryHandoff, ServiceDeps } from './service-deps.js';

/** Lease slack past the longest a delivery may wait for its endpoint and then be attempted. */
const LEASE_SLACK_MS = 5_000;

/**
 * The one door every webhook attempt goes through: refunds, manual retries, the relay's retries
 * and `POST /webhooks/test` queue delivery ids, and the delivery worker hands them to
 * {@link DeliveryDispatcher.dispatch}, which leases, signs, sends, records and schedules the next
 * attempt. A payment settlement in the same worker hands over the deliveries it creates already
 * leased ({@link LeasedDeliveryHandoff}): for those the settlement is the claim.
 */
export type DeliveryDispatcher = LeasedDeliveryHandoff & {
  /**
   * Claims the due attempts of these deliveries and starts them. Resolves once they are claimed
   * and handed to their endpoints, not when they are answered: a job never waits for a slow
   * receiver, so one hanging endpoint cannot hold the worker's jobs.
   */
  dispatch(ids: readonly string[]): Promise<void>;
  /** Resolves once no attempt is waiting, in flight or unrecorded. */
  idle(): Promise<void>;
  /**
   * Stops taking work, hands back the deliveries still waiting for their endpoint (the relay
   * queues them again), and waits up to `timeoutMs` for the attempts in flight to be recorded.
   * @returns whether everything was recorded in time.
   */
  close(timeoutMs: number): Promise<boolean>;
};

/** Deliveries share an endpoint's slots when they go to the same merchant and URL. */
const endpointOf = (d: DeliveryToAttempt) => `${d.merchant_id} ${d.webhook_url}`;

/**
 * Makes the dispatcher of one worker process. Each endpoint (merchant and URL) gets at most
 * `PAYGATE_WEBHOOK_ENDPOINT_CONCURRENCY` attempts in flight; its other deliveries wait here, in
 * order, and those that cannot start before their lease would run short are handed back. So a
 * hanging endpoint holds a few slots for a timeout each, and every other endpoint is served at once.
 * Each attempt is logged as soon as it ends, in group commits shared with the attempts that end
 * meanwhile (a slow endpoint never holds another's record back), one bad row alone if need be.
 *
 * The parts, in services/delivery/: endpoint-slots (who may start), attempt-delivery (sign, send,
 * decide the next step), attempt-recorder (group commit), busy-tracker (what idle() waits for).
 *
 * @param hooks.onRetryScheduled  an attempt was logged with a retry at `at` (gateway clock).
 * @param hooks.onHandedBack  deliveries were handed back, for the relay to queue again.
 */
export function createDeliveryDispatcher(
  deps: ServiceDeps,
  hooks: { onRetryScheduled?: (at: Date) => void; onHandedBack?: () => void } = {},
): DeliveryDispatcher {
  const { config, clock } = deps;
  // A delivery waits for its endpoint at most one timeout (by then each slot ahead of it has
  // freed at least once), then gets its own timeout: the lease covers both.
  const maxWaitMs = config.webhookTimeoutMs;
  const leaseMs = maxWaitMs + config.webhookTimeoutMs + LEASE_SLACK_MS;

  const leaseUntil = (realNow: Date) => new Date(realNow.getTime() + leaseMs);
  const busy = createBusyTracker(deps.log);
  const recorder = createAttemptRecorder(deps);
  let closing = false;

  const handBack = (deliveries: readonly DeliveryToAttempt[]) => {
    if (deliveries.length === 0) return;
    busy.track(
      releaseDeliveries({ db: deps.db, leases: deliveries.map((d) => ({ id: d.id, lockedUntil: d.locked_until })) }).then(() => hooks.onHandedBack?.()),
      'handing back',
      deliveries.map((d) => d.id),
    );
  };

  // The endpoint is busy: a delivery waits for a slot, but not past the point where the lease
  // could run out during the attempt; then it is handed back and the relay queues it again.
  const slots = createEndpointSlots<DeliveryToAttempt>({
    perEndpoint: config.webhookEndpointConcurrency,
    maxWaitMs,
    handBack,
    start: (d) => {
      const attempt = attemptDelivery(deps, d);
      busy.track(
        attempt.then(async (outcome) => {
          await recorder.add([outcome]);
          if (outcome.next.nextAttemptAt) hooks.onRetryScheduled?.(outcome.next.nextAttemptAt);
        }),
        'recording the attempt',
        [d.id],
      );
      // The slot frees when the receiver has answered (or timed out), not when the log is written.
      return attempt;
    },
  });

  const admit = (d: DeliveryToAttempt) => {
    if (!d.webhook_url || !d.webhook_enabled) {
      busy.track(failDeliveryWithoutAttempt({ db: deps.db, id: d.id, now: clock.now() }), 'giving up', [d.id]);
      return;
    }
    // Waiting for its endpoint counts as busy too: idle() means nothing is left to attempt.
    busy.track(slots.admit(endpointOf(d), d), 'waiting for the endpoint', [d.id]);
  };

  return {
    async dispatch(ids) {
      if (closing || ids.length === 0) return;
      const realNow = clock.realNow();
      const claimed = await claimDeliveryAttempts({ db: deps.db, ids, now: clock.now(), realNow, leaseUntil: leaseUntil(realNow) });
      if (closing) return handBack(claimed);
      claimed.forEach(admit);
    },
    leaseUntil,
    admitLeased(deliveries) {
      if (closing) return handBack(deliveries);
      deliveries.forEach(admit);
    },
    idle: () => busy.idle(),
    async close(timeoutMs) {
      closing = true;
      slots.close();
      return busy.idleWithin(timeoutMs);
    },
  };
}

import { DELIVERY_MACHINE, RETRY_SCHEDULES, buildWebhookHeaders, nextAttempt, parseRetryAfter, transition } from '@paygate/core';
import { batchOrEach, createBatcher } from '../lib/batcher.js';
import { toEventEnvelope } from '../model/wire.js';
import { disableWebhookEndpoint } from '../adapters/db/operations/merchants.js';
import {
  claimDeliveryAttempts,
  failDeliveryWithoutAttempt,
  recordDeliveryAttempts,
  releaseDeliveries,
  type AttemptOutcome,
  type DeliveryToAttempt,
} from '../adapters/db/operations/deliveries.js';
import { nodeHmacSha256 } from '../lib/node-hmac.js';
import { toStorableText } from '../lib/storable-text.js';
import type { ServiceDeps } from './service-deps.js';

/** Lease slack past the longest a delivery may wait for its endpoint and then be attempted. */
const LEASE_SLACK_MS = 5_000;
/** Attempt-logging statements at once; attempts that finish meanwhile share the next one. */
const RECORDS_IN_FLIGHT = 4;
const MAX_RECORDS_PER_STATEMENT = 200;

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

/**
 * The one door every webhook attempt goes through: payments, refunds, manual retries, the relay's
 * retries and `POST /webhooks/test` all queue delivery ids, and the delivery worker hands them to
 * {@link DeliveryDispatcher.dispatch}, which leases, signs, sends, records and schedules the next
 * attempt.
 */
export type DeliveryDispatcher = {
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

type Waiting = { delivery: DeliveryToAttempt; timer: NodeJS.Timeout };
/** One merchant endpoint's attempts in this process: `active` in flight, the rest waiting for a slot. */
type Endpoint = { active: number; waiting: Waiting[] };

/**
 * Makes the dispatcher of one worker process. Each endpoint (merchant and URL) gets at most
 * `PAYGATE_WEBHOOK_ENDPOINT_CONCURRENCY` attempts in flight; its other deliveries wait here, in
 * order, and those that cannot start before their lease would run short are handed back. So a
 * hanging endpoint holds a few slots for a timeout each, and every other endpoint is served at once.
 * Each attempt is logged as soon as it ends, in group commits shared with the attempts that end
 * meanwhile (a slow endpoint never holds another's record back), one bad row alone if need be.
 */
export function createDeliveryDispatcher(deps: ServiceDeps): DeliveryDispatcher {
  const { config, clock, log } = deps;
  const perEndpoint = config.webhookEndpointConcurrency;
  // A delivery waits for its endpoint at most one timeout (by then each slot ahead of it has
  // freed at least once), then gets its own timeout: the lease covers both.
  const maxWaitMs = config.webhookTimeoutMs;
  const leaseMs = maxWaitMs + config.webhookTimeoutMs + LEASE_SLACK_MS;

  const endpoints = new Map<string, Endpoint>();
  let busy = 0; // deliveries waiting, in flight or being recorded
  let idleWaiters: Array<() => void> = [];
  let closing = false;

  const recorder = createBatcher<AttemptOutcome>({
    run: (outcomes) =>
      batchOrEach(
        outcomes,
        (batch) => recordDeliveryAttempts({ db: deps.db, outcomes: batch, now: clock.now() }).then(() => batch.map(() => undefined)),
        (one) => recordDeliveryAttempts({ db: deps.db, outcomes: [one], now: clock.now() }).then(() => undefined),
      ),
    maxBatch: MAX_RECORDS_PER_STATEMENT,
    maxInFlight: RECORDS_IN_FLIGHT,
    onBatch: (n) => deps.metrics.batchSize.observe({ batch: 'delivery_record' }, n),
  });

  /** Counts `work` as busy until it settles; never rejects (the rows stay the truth). */
  const track = (work: Promise<unknown>, what: string, ids: readonly string[]) => {
    busy += 1;
    void work
      .catch((error: unknown) => log.error({ err: error, deliveryIds: ids }, `${what} failed; the relay will retry the delivery`))
      .finally(() => {
        busy -= 1;
        if (busy === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
      });
  };

  const handBack = (deliveries: readonly DeliveryToAttempt[]) => {
    if (deliveries.length === 0) return;
    track(
      releaseDeliveries({ db: deps.db, leases: deliveries.map((d) => ({ id: d.id, lockedUntil: d.locked_until })) }),
      'handing back',
      deliveries.map((d) => d.id),
    );
  };

  const start = (key: string, endpoint: Endpoint, d: DeliveryToAttempt) => {
    endpoint.active += 1;
    const attempt = attemptDelivery(deps, d).finally(() => {
      // The slot frees when the receiver has answered (or timed out), not when the log is written.
      endpoint.active -= 1;
      startWaiting(key, endpoint);
    });
    track(
      attempt.then((outcome) => recorder.add([outcome])),
      'recording the attempt',
      [d.id],
    );
  };

  const startWaiting = (key: string, endpoint: Endpoint) => {
    while (!closing && endpoint.active < perEndpoint && endpoint.waiting.length > 0) {
      const next = endpoint.waiting.shift()!;
      clearTimeout(next.timer);
      busy -= 1; // it was counted while waiting; start() counts it again
      start(key, endpoint, next.delivery);
    }
    if (endpoint.active === 0 && endpoint.waiting.length === 0) endpoints.delete(key);
  };

  const admit = (d: DeliveryToAttempt) => {
    if (!d.webhook_url || !d.webhook_enabled) {
      track(failDeliveryWithoutAttempt({ db: deps.db, id: d.id, now: clock.now() }), 'giving up', [d.id]);
      return;
    }
    const key = `${d.merchant_id} ${d.webhook_url}`;
    let endpoint = endpoints.get(key);
    if (!endpoint) endpoints.set(key, (endpoint = { active: 0, waiting: [] }));
    if (endpoint.active < perEndpoint) return start(key, endpoint, d);
    // The endpoint is busy: wait for a slot, but not past the point where the lease could run
    // out during the attempt; then hand it back and let the relay queue it again.
    const waited = endpoint;
    const entry: Waiting = {
      delivery: d,
      timer: setTimeout(() => {
        const at = waited.waiting.indexOf(entry);
        if (at < 0) return;
        waited.waiting.splice(at, 1);
        busy -= 1;
        handBack([d]);
        if (waited.active === 0 && waited.waiting.length === 0) endpoints.delete(key);
      }, maxWaitMs),
    };
    entry.timer.unref();
    busy += 1;
    endpoint.waiting.push(entry);
  };

  return {
    async dispatch(ids) {
      if (closing || ids.length === 0) return;
      const realNow = clock.realNow();
      const claimed = await claimDeliveryAttempts({ db: deps.db, ids, now: clock.now(), realNow, leaseUntil: new Date(realNow.getTime() + leaseMs) });
      if (closing) return handBack(claimed);
      claimed.forEach(admit);
    },
    idle() {
      return busy === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close(timeoutMs) {
      closing = true;
      const waiting: DeliveryToAttempt[] = [];
      for (const endpoint of endpoints.values()) {
        for (const w of endpoint.waiting.splice(0)) {
          clearTimeout(w.timer);
          busy -= 1;
          waiting.push(w.delivery);
        }
      }
      handBack(waiting);
      let timer: NodeJS.Timeout | undefined;
      const done = await Promise.race([
        this.idle().then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      return done;
    },
  };
}

function secretsFor(d: DeliveryToAttempt, now: Date): string[] {
  const previous =
    d.previous_webhook_secret && d.previous_webhook_secret_expires_at && d.previous_webhook_secret_expires_at > now
      ? [d.previous_webhook_secret]
      : [];
  return [d.webhook_secret, ...previous];
}

/**
 * One HTTP attempt of a delivery this worker holds the lease on: signs it with every active
 * secret, posts it, and works out from the answer (and core's retry policy) where it leaves the
 * delivery. What the receiver sent back is made safe to store. Every attempt, whatever made the
 * delivery, is made here and logs one `webhook attempt` line at debug level (`attempt` counts
 * from 1 again after a manual retry, as the delivery's `attempts` does).
 */
async function attemptDelivery(deps: ServiceDeps, d: DeliveryToAttempt): Promise<AttemptOutcome> {
  const { clock, config } = deps;
  const url = d.webhook_url!; // admit() sends only deliveries with a URL
  const now = clock.now();
  const body = JSON.stringify(toEventEnvelope({ id: d.event_id, type: d.event_type, created_at: d.event_created_at, sequence: d.event_sequence, data: d.event_data }));
  // The signed timestamp is real time: receivers check it against their own clock.
  const headers = await buildWebhookHeaders({
    secrets: secretsFor(d, now),
    id: d.event_id,
    timestamp: Math.floor(clock.realNow().getTime() / 1000),
    body,
    hmac: nodeHmacSha256,
  });
  const result = await deps.httpSender.send({ url, headers, body, timeoutMs: config.webhookTimeoutMs });
  const succeeded = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;

  let outcome: DeliveryOutcome;
  let nextAttemptAt: Date | null = null;
  if (succeeded) {
    outcome = 'delivered';
  } else if (result.statusCode === 410) {
    // 410 Gone: the merchant says this endpoint is no more. Stop sending until they save a URL
    // again; a URL saved while this attempt was out is a new endpoint and stays enabled.
    await disableWebhookEndpoint({ db: deps.db, id: d.merchant_id, url, now });
    outcome = 'failed';
  } else {
    const retryAfterMs = parseRetryAfter(result.retryAfter, now);
    const next = nextAttempt(d.attempts + 1, now, {
      schedule: config.webhookRetryIntervalsTest ? RETRY_SCHEDULES.test : RETRY_SCHEDULES.production,
      random: deps.random,
      jitter: config.webhookRetryJitter,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
    outcome = next.kind === 'retry' ? 'retry' : 'failed';
    if (next.kind === 'retry') nextAttemptAt = next.at;
  }
  // One line per attempt, from the one place attempts are made: what an operator reads to follow
  // a delivery (the URL stays out: merchants put tokens in it).
  deps.log.debug(
    {
      deliveryId: d.id,
      eventId: d.event_id,
      eventType: d.event_type,
      attempt: d.attempts + 1,
      outcome,
      statusCode: result.statusCode ?? null,
      latencyMs: result.latencyMs,
      ...(result.error ? { error: result.error } : {}),
    },
    'webhook attempt',
  );
  deps.metrics.deliveryAttempts.inc({ outcome });
  deps.metrics.deliveryLatency.observe(result.latencyMs / 1000);
  const status = transition(DELIVERY_MACHINE, 'pending', outcome === 'delivered' ? 'deliver' : outcome === 'retry' ? 'schedule_retry' : 'give_up');
  return {
    id: d.id,
    claimedAttempts: d.attempts,
    attempt: {
      url,
      attempted_at: now,
      status_code: result.statusCode ?? null,
      latency_ms: result.latencyMs,
      response_body: result.responseBody === undefined ? null : toStorableText(result.responseBody),
      error: succeeded ? null : toStorableText(result.error ?? `HTTP ${result.statusCode}`),
      succeeded,
    },
    next: { status, nextAttemptAt },
  };
}

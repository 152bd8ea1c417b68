import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { allDone, createBatcher } from '../../lib/batcher.js';
import { createExpiringSet } from '../../lib/expiring-set.js';
import { createKeyedRepeater } from '../../lib/keyed-repeater.js';
import { within } from '../../lib/within.js';
import { createRedisConnection } from '../redis/redis-connection.js';
import type { EventBus } from '../../ports/event-bus.js';

const channel = (merchantId: string) => `paygate:events:${merchantId}`;

/**
 * What a wake-up carries: only its merchant, as JSON, which a process of the version before
 * wake-ups (that read the message as an event and woke its streams on its merchantId) also
 * understands, so a rolling upgrade keeps every stream live.
 */
const wakeUpMessage = (merchantId: string) => JSON.stringify({ merchantId });

/**
 * How long a publisher skips a merchant's wake-ups after a PUBLISH of them reached nobody. Most
 * of the time nobody listens (no `pg-cli listen`, no dashboard open), and a payment made alone
 * would otherwise cost two PUBLISH round trips (the API's and the worker's) for nothing; this
 * way a process sends at most one per merchant per window.
 */
const QUIET_WHEN_UNHEARD_MS = 500;
/**
 * A new subscription may be skipped by publishers for QUIET_WHEN_UNHEARD_MS: through that window
 * the bus wakes its subscribers itself this often, so a commit waits at most this long for them.
 */
const WAKE_WHILE_QUIET_MS = 50;

/**
 * Cross-process live events over Redis pub/sub: a worker settles a payment, and `pg-cli listen`
 * attached to any API process sees it. The subscriber connection opens on first subscribe.
 *
 * PUBLISH answers how many subscribers received the message (on a single Redis, which is what
 * REDIS_URL names: a cluster would count one node's only), which is how a publisher knows
 * nobody listens. A process that skips a merchant's wake-ups for a while must not cost a stream
 * that subscribes meanwhile its events: for that while after every SUBSCRIBE is confirmed (the
 * first, and each again after ioredis reconnects), its subscribers are woken on a timer instead,
 * and read the database as they would for a wake-up.
 */
export function createRedisEventBus(options: { redisUrl: string; publisher: Redis; log: Logger; quietMs?: number }): EventBus {
  const quietMs = options.quietMs ?? QUIET_WHEN_UNHEARD_MS;
  let subscriber: Redis | undefined;
  const listeners = new Map<string, Set<() => void>>();
  // Per subscribed merchant: the SUBSCRIBE's confirmation (messages before it are not received).
  const confirmations = new Map<string, Promise<void>>();
  // The merchants whose last wake-up reached nobody, each until when (performance.now()) to skip
  // them. The window is counted from before the PUBLISH was sent, so it ends at most quietMs after
  // any subscription that came later, however long the answer took to be read. The set sweeps
  // itself as it grows: merchants never announced again do not stay for the process's life.
  const quiet = createExpiringSet();
  const wakeWhileQuiet = createKeyedRepeater(WAKE_WHILE_QUIET_MS);
  const wakeListeners = (merchantId: string) => {
    for (const onEvents of listeners.get(merchantId) ?? []) onEvents();
  };
  const confirmedNow = (merchantId: string) => {
    if (quietMs > 0 && listeners.has(merchantId)) wakeWhileQuiet.start(merchantId, quietMs, () => wakeListeners(merchantId));
  };
  // The announcements of every request in flight go out in one pipeline: one socket write, not one each.
  const publisher = createBatcher<string>({
    run: (merchantIds) =>
      allDone(async (batch: string[]) => {
        // Wake-ups are best effort, and ioredis would hold them (and the requests that announce
        // them) until it reconnects: while Redis is away, drop them at once. A stream reads on
        // its pings meanwhile, and one that reconnects resumes with Last-Event-ID.
        if (options.publisher.status !== 'ready') throw new Error(`redis is ${options.publisher.status}; live event wake-ups dropped`);
        // One PUBLISH per merchant of the batch, however many of its events committed.
        const merchants = [...new Set(batch)];
        const pipeline = options.publisher.pipeline();
        for (const merchantId of merchants) pipeline.publish(channel(merchantId), wakeUpMessage(merchantId));
        const sentAt = performance.now();
        const receivers = await pipeline.exec();
        const now = performance.now();
        receivers?.forEach(([error, count], i) => {
          if (!error && count === 0 && quietMs > 0) quiet.add(merchants[i]!, sentAt + quietMs, now);
        });
      }, merchantIds),
    maxBatch: 1_000,
    maxInFlight: 2,
  });

  const ensureSubscriber = () => {
    if (subscriber) return subscriber;
    subscriber = createRedisConnection(options.redisUrl, { log: options.log, name: 'paygate-events', subscriber: true });
    // The message itself is not read: the channel says whose events committed.
    subscriber.on('message', (ch: string) => wakeListeners(ch.slice(channel('').length)));
    // Back after a reconnection, ioredis subscribes every channel again; publishers may have gone
    // quiet about them meanwhile (their PUBLISHes reached nobody).
    let connectedBefore = false;
    subscriber.on('ready', () => {
      if (connectedBefore) for (const merchantId of listeners.keys()) confirmedNow(merchantId);
      connectedBefore = true;
    });
    return subscriber;
  };

  return {
    async announce(merchantIds) {
      const now = performance.now();
      const heard = merchantIds.filter((merchantId) => !quiet.has(merchantId, now));
      if (heard.length > 0) await publisher.add(heard);
    },
    subscribe(merchantId, onEvents) {
      // This process's own announcements reach its new stream at once; other processes' within quietMs.
      quiet.delete(merchantId);
      let set = listeners.get(merchantId);
      if (!set) {
        set = new Set();
        listeners.set(merchantId, set);
        const confirmed = ensureSubscriber()
          .subscribe(channel(merchantId))
          .then(() => confirmedNow(merchantId));
        confirmed.catch((error: unknown) => options.log.warn({ err: error, merchantId }, 'event bus subscribe failed'));
        confirmations.set(merchantId, confirmed);
      }
      set.add(onEvents);
      return () => {
        set.delete(onEvents);
        if (set.size === 0) {
          listeners.delete(merchantId);
          confirmations.delete(merchantId);
          wakeWhileQuiet.stop(merchantId);
          subscriber?.unsubscribe(channel(merchantId)).catch(() => undefined);
        }
      };
    },
    ready(merchantId) {
      return confirmations.get(merchantId) ?? Promise.resolve();
    },
    async close() {
      wakeWhileQuiet.stopAll();
      listeners.clear();
      confirmations.clear();
      // QUIT waits for a Redis that may be gone: give it a moment, then drop the socket.
      if (subscriber && !(await within(subscriber.quit(), 500))) subscriber.disconnect();
    },
  };
}

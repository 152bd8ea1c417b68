import type { EventEnvelope } from '../model/wire.js';

/** A live event as the stream carries it: the webhook envelope plus its owner. */
export type LiveEvent = { merchantId: string; envelope: EventEnvelope };

/**
 * Fan-out of events to live subscribers (`pg-cli listen`, the dashboard), published after the
 * transaction that recorded them commits. Best effort by design: the events table and webhook
 * deliveries are the durable path; the stream is for watching.
 */
export interface EventBus {
  publish(events: readonly LiveEvent[]): Promise<void>;
  subscribe(merchantId: string, listener: (event: LiveEvent) => void): () => void;
  /**
   * Resolves once events published for this merchant reach its subscribers (on Redis, when the
   * SUBSCRIBE is confirmed; until then a publish is lost to them). Rejects if it cannot be.
   */
  ready(merchantId: string): Promise<void>;
  close(): Promise<void>;
}

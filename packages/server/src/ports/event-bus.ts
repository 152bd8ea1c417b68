import { EventEmitter } from 'node:events';
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

/** Single-process bus (embedded mode, and tests). */
export function createInProcessEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(events) {
      for (const e of events) emitter.emit(e.merchantId, e);
    },
    subscribe(merchantId, listener) {
      emitter.on(merchantId, listener);
      return () => emitter.off(merchantId, listener);
    },
    async ready() {},
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * Wake-ups for live event streams (`GET /api/v1/events/stream`: `pg-cli listen`, the dashboard),
 * announced after the transaction that recorded a merchant's events commits. A woken stream reads
 * the events from the events table, in stream order (see list-events-after.ts), so a wake-up
 * says only whose events committed: no envelope is built or serialized for the bus, which cost
 * the API and the workers a JSON pass over three payment snapshots per payment while nobody
 * listened. Best effort by design: the events table and webhook deliveries are the durable path;
 * a stream that misses a wake-up reads on its next ping.
 */
export interface EventBus {
  /** Wakes the live streams of these merchants: each once per call, however many of its ids are given. */
  announce(merchantIds: readonly string[]): Promise<void>;
  /**
   * Calls `onEvents` whenever the merchant's events committed, and may call it when none did (a
   * bus that cannot tell whether a subscriber was skipped wakes it anyway: a read too many costs
   * less than a missed event); returns the unsubscribe.
   */
  subscribe(merchantId: string, onEvents: () => void): () => void;
  /**
   * Resolves once announcements for this merchant reach its subscribers (on Redis, when the
   * SUBSCRIBE is confirmed; until then an announcement is lost to them). Rejects if it cannot be.
   */
  ready(merchantId: string): Promise<void>;
  close(): Promise<void>;
}

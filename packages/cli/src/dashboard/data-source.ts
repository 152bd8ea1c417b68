/**
 * What the dashboard shows and does, as one port: the view subscribes to a source and calls it
 * back to retry. The real source talks to a gateway (api-source.ts); tests hand the view a fake,
 * so every frame can be checked without a server (STYLE §9: the data source is injected).
 *
 * The shapes are the REST wire objects (snake_case, DESIGN.md "API contract"), narrowed to what
 * the dashboard reads.
 */

/** Where the dashboard is looking, and what kind of gateway answers there. */
export type GatewayInfo = {
  url: string;
  /** `test` and `development` offer queue counts; `production` does not (GET /test/jobs/status is absent). */
  mode: 'test' | 'development' | 'production';
};

/** `GET /api/v1/test/jobs/status`, summed over the queues. */
export type QueueStatus = {
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  worker_status: 'running' | 'stopped';
  workers: number;
};

/** An event from `GET /api/v1/events/stream`: `{id, event, timestamp, sequence, data: {payment | refund}}`. */
export type StreamEvent = {
  id: string;
  event: string;
  timestamp: string;
  sequence?: number;
  data: Record<string, unknown>;
};

/** One attempt of a webhook delivery, as `attempt_log` lists it. */
export type DeliveryAttempt = {
  attempt: number;
  url: string;
  attempted_at: string;
  status_code: number | null;
  latency_ms: number;
  response_body: string | null;
  error: string | null;
  succeeded: boolean;
};

/** A webhook delivery with every attempt (`GET /api/v1/webhooks`). */
export type Delivery = {
  id: string;
  event: string;
  event_id: string;
  status: string;
  attempts: number;
  created_at: string;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  response_code: number | null;
  payload: StreamEvent;
  attempt_log: DeliveryAttempt[];
};

/** How the live connection to the gateway is doing, said on screen. */
export type ConnectionState = { state: 'connecting' | 'live' | 'reconnecting'; detail?: string };

/** Everything a source tells the view; each update replaces what it names. */
export type DashboardUpdate =
  | { type: 'gateway'; gateway: GatewayInfo }
  | { type: 'queue'; queue: QueueStatus }
  | { type: 'event'; event: StreamEvent }
  /** The newest deliveries (newest first); a delivery seen before is replaced by id. */
  | { type: 'deliveries'; deliveries: Delivery[] }
  | { type: 'connection'; connection: ConnectionState }
  /** Something went wrong that the user should read (one line; the source keeps trying). */
  | { type: 'problem'; message: string };

/** The dashboard's data, injected. */
export interface DashboardSource {
  /** Starts sending updates to `onUpdate`; the returned function stops them (and closes connections). */
  subscribe(onUpdate: (update: DashboardUpdate) => void): () => void;
  /**
   * `POST /api/v1/webhooks/:id/retry`. Resolves with the gateway's message; rejects with an error
   * whose message is one line the view can show. The source sends the retried delivery's
   * progress as ordinary `deliveries` updates.
   */
  retryDelivery(id: string): Promise<{ message: string }>;
}

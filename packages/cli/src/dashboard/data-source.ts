/**
 * What the dashboard shows and does, as one port: the view subscribes to a source and calls it
 * back to retry. The real source talks to a gateway (api-source.ts); tests hand the view a fake,
 * so every frame can be checked without a server (STYLE §9: the data source is injected).
 *
 * The shapes are the REST wire objects (snake_case, DESIGN.md "API contract") as @paygate/client
 * types them.
 */
import type { EventEnvelope, JobStatus, WebhookAttempt, WebhookDelivery } from '@paygate/client/rest';

/** Where the dashboard is looking, and what kind of gateway answers there. */
export type GatewayInfo = {
  url: string;
  /** `test` and `development` offer queue counts; `production` does not (GET /test/jobs/status is absent). */
  mode: 'test' | 'development' | 'production';
};

/** `GET /api/v1/test/jobs/status`, summed over the queues. */
export type QueueStatus = Pick<JobStatus, 'pending' | 'processing' | 'completed' | 'failed' | 'worker_status' | 'workers'>;

/** An event from `GET /api/v1/events/stream`: `{id, event, timestamp, sequence, data: {payment | refund}}`. */
export type StreamEvent = EventEnvelope;

/** One attempt of a webhook delivery, as `attempt_log` lists it. */
export type DeliveryAttempt = WebhookAttempt;

/** A webhook delivery with every attempt (`GET /api/v1/webhooks`). */
export type Delivery = WebhookDelivery;

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
  /** Something is wrong that the user should read (one line; the source keeps trying); undefined once it is over. */
  | { type: 'problem'; message: string | undefined };

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

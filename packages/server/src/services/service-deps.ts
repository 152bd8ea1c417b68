import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock } from '../ports/clock.js';
import type { GatewayConfig } from '../config.js';
import type { EventBus } from '../ports/event-bus.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { HttpSender } from '../ports/http-sender.js';
import type { WebhookTargets } from '../ports/webhook-targets.js';
import type { Metrics } from '../metrics.js';
import type { PaymentStore } from '../ports/payment-store.js';
import type { DeliveryToAttempt } from '../adapters/db/operations/deliveries.js';

/** Everything a use case may touch, handed in once by the composition root (gateway.ts). */
export type ServiceDeps = {
  db: Knex;
  /** The reads and writes on the path of every new payment (the db adapter group-commits them). */
  paymentStore: PaymentStore;
  clock: Clock;
  queue: JobQueue;
  eventBus: EventBus;
  httpSender: HttpSender;
  webhookTargets: WebhookTargets;
  metrics: Metrics;
  config: GatewayConfig;
  random: () => number;
  log: Logger;
  /**
   * Set where this process runs workers: its dispatcher, to which a settlement (and, in role
   * `all`, a new payment) hands the deliveries it creates, leased as they are written (no claim,
   * no queue). Elsewhere deliveries are queued.
   */
  deliveries?: LeasedDeliveryHandoff | undefined;
};

/** The part of a worker's delivery dispatcher that a settlement hands its new deliveries to. */
export type LeasedDeliveryHandoff = {
  /** Until when a delivery leased now (real time) is the dispatcher's. */
  leaseUntil(realNow: Date): Date;
  /** Starts deliveries created already leased (see `leaseUntil`): no claim statement runs. */
  admitLeased(deliveries: readonly DeliveryToAttempt[]): void;
};

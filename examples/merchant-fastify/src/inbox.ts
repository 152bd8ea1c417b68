import type { PaygateWebhookEvent } from '@paygate/webhook-verify';

/** Does the real work for one event: update the order, send the email, … */
export type EventHandler = (event: PaygateWebhookEvent) => Promise<void> | void;

/**
 * Where verified events go: drops duplicates by event id, and runs the handler after the HTTP
 * response is on its way.
 *
 * @remarks This keeps ids and pending work in memory, which is enough for an example and wrong
 * for production: a restart forgets which events were seen, and an event acknowledged with 2xx
 * but not yet processed is lost with the process (Paygate will not resend it). In production,
 * insert the event into a table with a unique key on its id *before* answering 2xx (a conflict
 * means duplicate), and let a worker process rows from that table; the insert is what makes
 * "answer fast, process later" safe.
 */
export class WebhookInbox {
  readonly #seen = new Set<string>();
  readonly #pending = new Set<Promise<void>>();

  constructor(
    private readonly handle: EventHandler,
    private readonly onError: (error: unknown, event: PaygateWebhookEvent) => void = (error, event) =>
      console.error(`processing ${event.id} (${event.event}) failed`, error),
  ) {}

  /**
   * Takes a verified event. Returns false, and does nothing, when this event id was already
   * accepted: Paygate retries until it sees a 2xx, so the same event can arrive several times.
   */
  accept(event: PaygateWebhookEvent): boolean {
    // Checked and recorded synchronously, so two concurrent deliveries of one event cannot
    // both get past this line.
    if (this.#seen.has(event.id)) return false;
    this.#seen.add(event.id);
    // setImmediate: run after the current I/O callbacks, i.e. after the response is written.
    const job: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.handle(event))
      .catch((error: unknown) => this.onError(error, event))
      .finally(() => this.#pending.delete(job));
    this.#pending.add(job);
    return true;
  }

  /** Resolves once every accepted event has been processed: for graceful shutdown and tests. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}

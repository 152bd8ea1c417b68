/** An event envelope as the stream carries it. */
export type WatchedEvent = { id: string; event: string; data?: Record<string, unknown> } & Record<string, unknown>;

/** Follows a stream of events; `onOpen` says the gateway has subscribed it. */
export type OpenStream = (options: { signal: AbortSignal; onOpen: () => void }) => AsyncIterable<WatchedEvent>;

/**
 * The merchant's events from the moment it is open, kept so that a flow can wait for "the
 * payment.success of pay_X" after setting it off without a race: every event since `open()`
 * resolved is in the buffer or still to come.
 */
export class EventWatch {
  readonly #seen: WatchedEvent[] = [];
  readonly #waiters = new Set<{ match: (e: WatchedEvent) => boolean; resolve: (e: WatchedEvent) => void }>();
  readonly #controller = new AbortController();
  #failure: unknown;

  private constructor() {}

  /** Opens the stream and resolves once the gateway has subscribed it. */
  static async open(openStream: OpenStream, timeoutMs = 15_000): Promise<EventWatch> {
    const watch = new EventWatch();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The event stream did not open within ${timeoutMs / 1000} s.`)), timeoutMs);
      void (async () => {
        try {
          for await (const e of openStream({ signal: watch.#controller.signal, onOpen: () => (clearTimeout(timer), resolve()) })) watch.#take(e);
        } catch (error) {
          clearTimeout(timer);
          watch.#failure = error;
          reject(error);
        }
      })();
    });
    return watch;
  }

  /** The first event (since open) that matches, waiting up to `timeoutMs` for it. */
  next(match: (e: WatchedEvent) => boolean, description: string, timeoutMs: number): Promise<WatchedEvent> {
    const found = this.#seen.find(match);
    if (found) return Promise.resolve(found);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (e: WatchedEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`No ${description} arrived on the event stream within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  close(): void {
    this.#controller.abort();
  }

  #take(e: WatchedEvent): void {
    this.#seen.push(e);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(e)) {
        this.#waiters.delete(waiter);
        waiter.resolve(e);
      }
    }
  }
}

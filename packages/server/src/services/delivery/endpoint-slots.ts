/**
 * Slots per endpoint: at most `perEndpoint` items of one key run at once, and the others wait
 * for a slot, in the order they came. One that cannot start within `maxWaitMs` is handed back,
 * and so is everything still waiting when the slots close. What an item is and what running it
 * means is the caller's: `start` runs one (its slot frees when the returned promise settles),
 * and `handBack` takes those that will not run here.
 */
export type EndpointSlots<T> = {
  /**
   * Starts `item` at once if its endpoint (`key`) has a free slot, or queues it behind the
   * others. Resolves (never rejects) once it has left the queue: started, or handed back.
   */
  admit(key: string, item: T): Promise<void>;
  /** Stops starting items, and hands back every waiting one in a single `handBack` call. */
  close(): void;
};

export type EndpointSlotsOptions<T> = {
  /** Items of one endpoint running at once at most. */
  perEndpoint: number;
  /** How long an item may wait for a slot before it is handed back. */
  maxWaitMs: number;
  /** Runs an item; its slot frees when the promise settles, either way. Must not throw. */
  start: (item: T) => Promise<unknown>;
  /** Takes back items that will not run here (waited too long, or the slots closed). */
  handBack: (items: T[]) => void;
};

type Waiting<T> = { item: T; timer: NodeJS.Timeout; leave: () => void };
/** One endpoint's items: `active` running, the rest waiting for a slot. */
type Endpoint<T> = { active: number; waiting: Waiting<T>[] };

export function createEndpointSlots<T>({ perEndpoint, maxWaitMs, start, handBack }: EndpointSlotsOptions<T>): EndpointSlots<T> {
  const endpoints = new Map<string, Endpoint<T>>();
  let closed = false;

  const forgetIfUnused = (key: string, endpoint: Endpoint<T>) => {
    if (endpoint.active === 0 && endpoint.waiting.length === 0) endpoints.delete(key);
  };

  const run = (key: string, endpoint: Endpoint<T>, item: T) => {
    endpoint.active += 1;
    const free = () => {
      endpoint.active -= 1;
      startWaiting(key, endpoint);
    };
    void start(item).then(free, free);
  };

  const startWaiting = (key: string, endpoint: Endpoint<T>) => {
    while (!closed && endpoint.active < perEndpoint && endpoint.waiting.length > 0) {
      const next = endpoint.waiting.shift()!;
      clearTimeout(next.timer);
      run(key, endpoint, next.item);
      next.leave();
    }
    forgetIfUnused(key, endpoint);
  };

  /** Queues `item` for a slot of `endpoint` for at most `maxWaitMs`, then hands it back. */
  const wait = (key: string, endpoint: Endpoint<T>, item: T, leave: () => void) => {
    const entry: Waiting<T> = {
      item,
      leave,
      timer: setTimeout(() => {
        const at = endpoint.waiting.indexOf(entry);
        if (at < 0) return;
        endpoint.waiting.splice(at, 1);
        handBack([item]);
        leave();
        forgetIfUnused(key, endpoint);
      }, maxWaitMs),
    };
    entry.timer.unref();
    endpoint.waiting.push(entry);
  };

  return {
    admit(key, item) {
      if (closed) {
        // Every admitted item either runs or comes back, even one that arrives after close().
        handBack([item]);
        return Promise.resolve();
      }
      let endpoint = endpoints.get(key);
      if (!endpoint) endpoints.set(key, (endpoint = { active: 0, waiting: [] }));
      if (endpoint.active < perEndpoint) {
        run(key, endpoint, item);
        return Promise.resolve();
      }
      const queued = endpoint;
      return new Promise<void>((leave) => wait(key, queued, item, leave));
    },
    close() {
      closed = true;
      const waiting = [...endpoints.values()].flatMap((endpoint) => endpoint.waiting.splice(0));
      waiting.forEach((w) => clearTimeout(w.timer));
      if (waiting.length > 0) handBack(waiting.map((w) => w.item));
      waiting.forEach((w) => w.leave());
    },
  };
}

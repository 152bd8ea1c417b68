import { GatewayUnreachableError, PaygateApiError, type PaygateRestClient } from '@paygate/client/rest';
import type { DashboardSource, DashboardUpdate, GatewayInfo } from './data-source.js';

export type ApiSourceOptions = {
  /** How often queue counts and the delivery log are read again (deliveries change without events: each attempt). */
  pollMs?: number;
  /** How many of the newest deliveries are kept in view. */
  deliveries?: number;
};

const DEFAULT_POLL_MS = 2_000;
const DEFAULT_DELIVERIES = 50;
/** After an event or a retry, the delivery log is read again this soon (several events come together). */
const SOON_MS = 150;

/** One line for a failed call: the gateway's `CODE: description (field)`, or why it did not answer and what to do. */
export function problemOf(error: unknown, apiUrl: string): string {
  if (error instanceof GatewayUnreachableError) return `${error.message} Start one with: pg-cli dev (or pass --api-url).`;
  if (error instanceof PaygateApiError && error.status === 401) return `${error.message} Check --api-key and --api-secret (or pg-cli login).`;
  if (error instanceof Error) return error.message.split('\n')[0] ?? String(error);
  return `${String(error)} (${apiUrl})`;
}

const isNotFound = (error: unknown) => error instanceof PaygateApiError && error.status === 404;

/**
 * Which kind of gateway answers: `/test/jobs/status` exists in development and test mode, the
 * test clock only in test mode (DESIGN.md "Test mode").
 */
async function detectMode(client: PaygateRestClient): Promise<GatewayInfo['mode']> {
  try {
    await client.test.jobs.status();
  } catch (error) {
    if (isNotFound(error)) return 'production';
    throw error;
  }
  try {
    await client.test.clock.get();
    return 'test';
  } catch (error) {
    if (isNotFound(error)) return 'development';
    throw error;
  }
}

/**
 * The dashboard's data from a running gateway, through @paygate/client: the event stream (it
 * reconnects with `Last-Event-ID`, and says so), and, every `pollMs`, the queue counts and the
 * newest deliveries with their attempts (attempts are not events, so the log is read again;
 * also right after each event and each retry).
 */
export class ApiSource implements DashboardSource {
  private readonly pollMs: number;
  private readonly limit: number;
  /** Set while subscribed: reads the delivery log again soon. */
  private refreshSoon: (() => void) | undefined;

  constructor(
    private readonly client: PaygateRestClient,
    options: ApiSourceOptions = {},
  ) {
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.limit = options.deliveries ?? DEFAULT_DELIVERIES;
  }

  async retryDelivery(id: string): Promise<{ message: string }> {
    try {
      const answer = await this.client.webhooks.retry(id);
      this.refreshSoon?.();
      return { message: answer.message };
    } catch (error) {
      throw new Error(problemOf(error, this.client.apiUrl), { cause: error });
    }
  }

  subscribe(onUpdate: (update: DashboardUpdate) => void): () => void {
    const controller = new AbortController();
    const { signal } = controller;
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, run: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!signal.aborted) run();
      }, ms);
      timers.add(timer);
    };
    let mode: GatewayInfo['mode'] | undefined;
    let problem: string | undefined;
    const say = (next: string | undefined) => {
      if (next === problem) return;
      problem = next;
      onUpdate({ type: 'problem', message: next });
    };

    const readDeliveries = async () => {
      const page = await this.client.webhooks.list({ limit: this.limit });
      if (!signal.aborted) onUpdate({ type: 'deliveries', deliveries: page.data });
    };
    let soon = false;
    this.refreshSoon = () => {
      if (soon) return;
      soon = true;
      later(SOON_MS, () => {
        soon = false;
        readDeliveries().catch((error: unknown) => say(problemOf(error, this.client.apiUrl)));
      });
    };

    // One tick at a time (the next is scheduled when this one ends): a slow gateway is not piled on.
    const tick = async () => {
      try {
        if (mode === undefined) {
          mode = await detectMode(this.client);
          onUpdate({ type: 'gateway', gateway: { url: this.client.apiUrl, mode } });
        }
        if (mode !== 'production') {
          const status = await this.client.test.jobs.status();
          if (!signal.aborted) onUpdate({ type: 'queue', queue: status });
        }
        await readDeliveries();
        say(undefined);
      } catch (error) {
        if (!signal.aborted) say(problemOf(error, this.client.apiUrl));
      }
      later(this.pollMs, () => void tick());
    };

    const follow = async () => {
      onUpdate({ type: 'connection', connection: { state: 'connecting' } });
      const events = this.client.events.follow({
        signal,
        onOpen: () => onUpdate({ type: 'connection', connection: { state: 'live' } }),
        onReconnect: ({ delayMs }) =>
          onUpdate({ type: 'connection', connection: { state: 'reconnecting', detail: `next try in ${Math.ceil(delayMs / 1000)} s` } }),
      });
      try {
        for await (const event of events) {
          onUpdate({ type: 'event', event });
          this.refreshSoon?.();
        }
      } catch (error) {
        // A refusal a retry cannot fix (credentials): said once; the polls keep saying it too.
        if (!signal.aborted) {
          say(problemOf(error, this.client.apiUrl));
          onUpdate({ type: 'connection', connection: { state: 'reconnecting', detail: 'stream refused' } });
        }
      }
    };

    void tick();
    void follow();
    return () => {
      controller.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      this.refreshSoon = undefined;
    };
  }
}

import type { Api, GatewayEvent } from './api.js';

export type FeedState = 'connecting' | 'live' | 'offline';
type Listener = (event: GatewayEvent) => void;
type StateListener = (state: FeedState) => void;

const RECONNECT_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * One event stream per tab, shared by every page: the gateway caps streams per merchant, so
 * pages subscribe here instead of opening their own. Reconnects with Last-Event-ID, so an event
 * committed while the connection was down still arrives, once.
 */
export class EventFeed {
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly abort = new AbortController();
  private lastEventId: string | undefined;
  state: FeedState = 'connecting';

  constructor(private readonly api: Api) {
    void this.run();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.abort.abort();
    this.listeners.clear();
    this.stateListeners.clear();
  }

  private setState(state: FeedState): void {
    this.state = state;
    for (const l of this.stateListeners) l(state);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      this.setState('connecting');
      try {
        const events = this.api.streamEvents(this.abort.signal, this.lastEventId);
        this.setState('live');
        for await (const event of events) {
          failures = 0;
          this.lastEventId = event.id;
          for (const l of this.listeners) l(event);
        }
      } catch {
        if (this.abort.signal.aborted) return;
        failures += 1;
      }
      if (this.abort.signal.aborted) return;
      this.setState('offline');
      const wait = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)]!;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

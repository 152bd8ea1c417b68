import type { Api, GatewayEvent } from './api.js';

export type FeedState = 'connecting' | 'live' | 'offline';
type Listener = (event: GatewayEvent) => void;
type StateListener = (state: FeedState) => void;

/**
 * One event stream per tab, shared by every page: the gateway caps streams per merchant, so
 * pages subscribe here instead of opening their own. `@paygate/client`'s `follow` reconnects
 * with Last-Event-ID, so an event committed while the connection was down still arrives, once.
 */
export class EventFeed {
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly abort = new AbortController();
  state: FeedState = 'connecting';

  constructor(api: Api) {
    void this.run(api);
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

  private async run(api: Api): Promise<void> {
    try {
      const events = api.followEvents({
        signal: this.abort.signal,
        onOpen: () => this.setState('live'),
        onReconnect: () => this.setState('offline'),
      });
      for await (const event of events) for (const l of this.listeners) l(event);
    } catch {
      // Credentials refused (signed out elsewhere, data reset): the pages still load on demand.
      if (!this.abort.signal.aborted) this.setState('offline');
    }
  }
}

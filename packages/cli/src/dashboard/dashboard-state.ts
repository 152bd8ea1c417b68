import type { ConnectionState, DashboardUpdate, Delivery, GatewayInfo, QueueStatus, StreamEvent } from './data-source.js';

/** How many events and deliveries the dashboard keeps (older ones scroll out for good). */
export const MAX_ROWS = 200;

export type Notice = { text: string; tone: 'info' | 'error' };

/** Everything on screen, as data: the view renders it, `reduceDashboard` changes it. */
export type DashboardState = {
  gateway: GatewayInfo | undefined;
  queue: QueueStatus | undefined;
  connection: ConnectionState;
  /** Newest first. */
  events: StreamEvent[];
  /** Newest first. */
  deliveries: Delivery[];
  /** Kept by id, so deliveries arriving above it do not move the selection. */
  selectedId: string | undefined;
  failedOnly: boolean;
  /** The answer to the user's last action (a retry, a filter). */
  notice: Notice | undefined;
  /** What the source says is wrong right now (gateway unreachable, credentials refused). */
  problem: string | undefined;
};

export type DashboardAction = DashboardUpdate | { type: 'move'; by: number } | { type: 'toggle-failed' } | { type: 'notice'; notice: Notice | undefined };

export const INITIAL_STATE: DashboardState = {
  gateway: undefined,
  queue: undefined,
  connection: { state: 'connecting' },
  events: [],
  deliveries: [],
  selectedId: undefined,
  failedOnly: false,
  notice: undefined,
  problem: undefined,
};

/** Failing: given up (`failed`), or waiting to retry after an attempt that did not succeed. */
export function isFailing(d: Delivery): boolean {
  if (d.status === 'failed') return true;
  return d.status === 'pending' && d.attempt_log.at(-1)?.succeeded === false;
}

/** The deliveries the list shows, newest first. */
export function visibleDeliveries(state: DashboardState): Delivery[] {
  return state.failedOnly ? state.deliveries.filter(isFailing) : state.deliveries;
}

/** The selected delivery: the one picked, or the newest shown when nothing (still visible) is. */
export function selectedDelivery(state: DashboardState): Delivery | undefined {
  const shown = visibleDeliveries(state);
  return shown.find((d) => d.id === state.selectedId) ?? shown[0];
}

const newestFirst = (a: { created_at: string; id: string }, b: { created_at: string; id: string }) =>
  b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);

function mergeDeliveries(current: Delivery[], incoming: Delivery[]): Delivery[] {
  const byId = new Map(current.map((d) => [d.id, d]));
  for (const d of incoming) byId.set(d.id, d);
  return [...byId.values()].sort(newestFirst).slice(0, MAX_ROWS);
}

function moveSelection(state: DashboardState, by: number): DashboardState {
  const shown = visibleDeliveries(state);
  if (shown.length === 0) return state;
  const at = Math.max(
    0,
    shown.findIndex((d) => d.id === selectedDelivery(state)?.id),
  );
  const next = shown[Math.min(shown.length - 1, Math.max(0, at + by))]!;
  return { ...state, selectedId: next.id };
}

/** The one place the dashboard's state changes; pure, so every key and update is a unit test. */
export function reduceDashboard(state: DashboardState, action: DashboardAction): DashboardState {
  switch (action.type) {
    case 'gateway':
      return { ...state, gateway: action.gateway };
    case 'queue':
      return { ...state, queue: action.queue };
    case 'connection':
      return { ...state, connection: action.connection };
    case 'event':
      if (state.events.some((e) => e.id === action.event.id)) return state;
      return { ...state, events: [action.event, ...state.events].slice(0, MAX_ROWS) };
    case 'deliveries':
      return { ...state, deliveries: mergeDeliveries(state.deliveries, action.deliveries) };
    case 'problem':
      return { ...state, problem: action.message };
    case 'move':
      return moveSelection(state, action.by);
    case 'toggle-failed': {
      const failedOnly = !state.failedOnly;
      return { ...state, failedOnly, notice: { text: failedOnly ? 'Showing failing deliveries only (f: show all)' : 'Showing all deliveries', tone: 'info' } };
    }
    case 'notice':
      return { ...state, notice: action.notice };
  }
}

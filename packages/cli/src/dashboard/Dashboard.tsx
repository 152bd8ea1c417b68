// Automatic JSX runtime, stated here too: under NODE_ENV=development or test oclif runs src/ through tsx,
// which reads the tsconfig of the current directory, not this package's "jsx": "react-jsx".
/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { Box, useApp, useInput, useStdin } from 'ink';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { DeliveryDetail } from './DeliveryDetail.js';
import { DeliveryList } from './DeliveryList.js';
import { EventList } from './EventList.js';
import { Header } from './Header.js';
import { KeyBar } from './KeyBar.js';
import { INITIAL_STATE, reduceDashboard, selectedDelivery, visibleDeliveries, type DashboardState } from './dashboard-state.js';
import type { DashboardSource } from './data-source.js';
import { SHORTCUTS } from './shortcuts.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';

/** Below this width the two lists stack instead of standing side by side. */
const WIDE_COLUMNS = 140;
/** Stacked, the payments list needs this many rows of terminal; below it only deliveries are shown. */
const ROWS_FOR_EVENTS_STACKED = 28;

/** Inner heights (rows of content, borders and titles excluded) of each panel for a terminal size; 0 hides a panel. */
export function layoutFor({ columns, rows }: TerminalSize) {
  // One row is left free: Ink clears the whole screen on every frame as tall as the terminal.
  const usable = rows - 1;
  const header = 4;
  const keyBar = 2; // the notice line and the keys
  const listFrame = 3; // title and borders
  const detailFrame = 2;
  const wide = columns >= WIDE_COLUMNS;
  if (wide) {
    const room = usable - header - keyBar - listFrame - detailFrame;
    const lists = Math.max(2, Math.floor((room * 2) / 5));
    return { wide, events: lists, deliveries: lists, detail: Math.max(3, room - lists) };
  }
  const showEvents = rows >= ROWS_FOR_EVENTS_STACKED;
  const room = usable - header - keyBar - listFrame - detailFrame - (showEvents ? listFrame : 0);
  const events = showEvents ? Math.max(2, Math.floor(room / 5)) : 0;
  const deliveries = Math.max(2, Math.floor(room / 3));
  return { wide, events, deliveries, detail: Math.max(3, room - events - deliveries) };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

export type DashboardProps = { source: DashboardSource };

/**
 * The full-screen dashboard: header (gateway, mode, workers, queue), live payments and
 * deliveries, the selected delivery's attempts and payload, and a key bar. Keys work only when
 * stdin is a terminal that supports raw mode.
 */
export function Dashboard({ source }: DashboardProps) {
  const [state, dispatch] = useReducer(reduceDashboard, INITIAL_STATE);
  const stateRef = useRef<DashboardState>(state);
  stateRef.current = state;
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const size = useTerminalSize();

  useEffect(() => source.subscribe(dispatch), [source]);

  const retry = useCallback(
    (id: string) => {
      dispatch({ type: 'notice', notice: { text: `Retrying ${id}…`, tone: 'info' } });
      source.retryDelivery(id).then(
        (answer) => dispatch({ type: 'notice', notice: { text: `${id}: ${answer.message}`, tone: 'info' } }),
        (error: unknown) => dispatch({ type: 'notice', notice: { text: messageOf(error) ?? 'retry failed', tone: 'error' } }),
      );
    },
    [source],
  );

  useInput(
    (input, key) => {
      const current = stateRef.current;
      const shortcut = SHORTCUTS.find((s) => s.matches(input, key) && s.when(current));
      shortcut?.run({ state: current, dispatch, retry, quit: () => exit() }, input, key);
    },
    { isActive: isRawModeSupported === true },
  );

  const layout = layoutFor(size);
  const deliveries = visibleDeliveries(state);
  const selected = selectedDelivery(state);
  const lists = (
    <>
      {layout.events > 0 ? <EventList events={state.events} height={layout.events} width={layout.wide ? '45%' : undefined} /> : null}
      <DeliveryList deliveries={deliveries} selectedId={selected?.id} failedOnly={state.failedOnly} height={layout.deliveries} />
    </>
  );
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows - 1}>
      <Header gateway={state.gateway} queue={state.queue} connection={state.connection} problem={state.problem} />
      {layout.wide ? <Box flexShrink={0}>{lists}</Box> : lists}
      <DeliveryDetail delivery={selected} height={layout.detail} />
      <KeyBar state={state} interactive={isRawModeSupported === true} />
    </Box>
  );
}

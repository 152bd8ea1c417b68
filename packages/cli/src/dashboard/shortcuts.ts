import type { Key } from 'ink';
import { selectedDelivery, type DashboardAction, type DashboardState } from './dashboard-state.js';

/** What a shortcut may do: change the view's state, retry a delivery, or quit. */
export type ShortcutContext = {
  state: DashboardState;
  dispatch: (action: DashboardAction) => void;
  retry: (deliveryId: string) => void;
  quit: () => void;
};

/** A key binding as data (STYLE §9): the key bar lists the ones whose `when` holds. */
export type Shortcut = {
  keys: string;
  label: string;
  matches: (input: string, key: Key) => boolean;
  when: (state: DashboardState) => boolean;
  run: (context: ShortcutContext, input: string, key: Key) => void;
};

const always = () => true;
const hasSelection = (state: DashboardState) => selectedDelivery(state) !== undefined;

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: '↑↓',
    label: 'select',
    matches: (input, key) => moveOf(input, key) !== undefined,
    when: (state) => state.deliveries.length > 0,
    run: ({ dispatch }, input, key) => dispatch({ type: 'move', by: moveOf(input, key) ?? 0 }),
  },
  {
    keys: 'r',
    label: 'retry',
    matches: (input) => input === 'r',
    when: hasSelection,
    run: ({ state, retry }) => {
      const selected = selectedDelivery(state);
      if (selected) retry(selected.id);
    },
  },
  {
    keys: 'f',
    label: 'failing only',
    matches: (input) => input === 'f',
    when: always,
    run: ({ dispatch }) => dispatch({ type: 'toggle-failed' }),
  },
  {
    keys: 'q',
    label: 'quit',
    matches: (input, key) => input === 'q' || key.escape,
    when: always,
    run: ({ quit }) => quit(),
  },
];

/** The move an arrow (or vi key) means, if it is one. */
export function moveOf(input: string, key: Key): number | undefined {
  if (key.upArrow || input === 'k') return -1;
  if (key.downArrow || input === 'j') return 1;
  if (key.pageUp) return -10;
  if (key.pageDown) return 10;
  return undefined;
}

import { PaygateError } from '../errors/paygate-error.js';

/**
 * A state machine as data (STYLE.md §5): one row per state, keyed by event, giving the next
 * state. A state with an empty row is terminal. Every writer goes through {@link transition}.
 */
export type Machine<S extends string, E extends string> = {
  /** Name used in error messages, e.g. `'payment'`. */
  name: string;
  /** `table[state][event]` is the next state; a missing entry means the event is not allowed. */
  table: Record<S, Partial<Record<E, S>>>;
};

/** The state type of a machine. */
export type StateOf<M> = M extends Machine<infer S, string> ? S : never;
/** The event type of a machine. */
export type EventOf<M> = M extends Machine<string, infer E> ? E : never;

/** Make a machine with a frozen table, so no caller can add a transition at run time. */
export function defineMachine<S extends string, E extends string>(name: string, table: Record<S, Partial<Record<E, S>>>): Machine<S, E> {
  for (const row of Object.values<Partial<Record<E, S>>>(table)) Object.freeze(row);
  return Object.freeze({ name, table: Object.freeze(table) });
}

/** Every state of a machine, in table order. */
export function statesOf<S extends string, E extends string>(machine: Machine<S, E>): S[] {
  return Object.keys(machine.table) as S[];
}

/** The events allowed from `state` (empty for a terminal or unknown state). */
export function allowedEvents<S extends string, E extends string>(machine: Machine<S, E>, state: S): E[] {
  const row = rowOf(machine, state);
  return row === undefined ? [] : (Object.keys(row) as E[]);
}

/** Whether `event` is allowed from `state`. */
export function canTransition<S extends string, E extends string>(machine: Machine<S, E>, state: S, event: E): boolean {
  return nextOf(machine, state, event) !== undefined;
}

/** Whether `state` is terminal: no event leads anywhere from it. */
export function isTerminal<S extends string, E extends string>(machine: Machine<S, E>, state: S): boolean {
  const row = rowOf(machine, state);
  return row !== undefined && Object.keys(row).length === 0;
}

/**
 * The state after `event` in `state`, or an `INVALID_STATE_ERROR` whose description names the
 * machine, the state, the event and the events that are allowed (like Hyperswitch's
 * `PaymentUnexpectedState`).
 *
 * @remarks Persist the result with a guarded update (`… SET status = next WHERE status = state`):
 * this function decides what is legal, the database decides who moved first.
 */
export function transition<S extends string, E extends string>(machine: Machine<S, E>, state: S, event: E): S {
  const next = nextOf(machine, state, event);
  if (next !== undefined) return next;
  const row = rowOf(machine, state);
  let reason: string;
  if (row === undefined) {
    reason = `'${String(state)}' is not a ${machine.name} state (states: ${statesOf(machine).join(', ')})`;
  } else if (Object.keys(row).length === 0) {
    reason = `'${String(state)}' is a final state: no events are allowed`;
  } else {
    reason = `allowed events from '${String(state)}': ${Object.keys(row).join(', ')}`;
  }
  throw new PaygateError('INVALID_STATE_ERROR', `Cannot apply '${String(event)}' to ${withArticle(machine.name)} in state '${String(state)}'; ${reason}`);
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

function rowOf<S extends string, E extends string>(machine: Machine<S, E>, state: S): Partial<Record<E, S>> | undefined {
  // Own properties only: a state read from a database could be any string ('constructor').
  return Object.prototype.hasOwnProperty.call(machine.table, state) ? machine.table[state] : undefined;
}

function nextOf<S extends string, E extends string>(machine: Machine<S, E>, state: S, event: E): S | undefined {
  const row = rowOf(machine, state);
  if (row === undefined || !Object.prototype.hasOwnProperty.call(row, event)) return undefined;
  return row[event];
}

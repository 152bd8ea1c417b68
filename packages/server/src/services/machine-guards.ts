import { canTransition, statesOf, type Machine } from '@paygate/core';

/**
 * The states from which `event` is allowed, read off the machine: the `WHERE status IN (...)` of
 * a guarded update, so the SQL guard and the machine can't disagree.
 */
export function statesAllowing<S extends string, E extends string>(machine: Machine<S, E>, event: E): S[] {
  return statesOf(machine).filter((state) => canTransition(machine, state, event));
}

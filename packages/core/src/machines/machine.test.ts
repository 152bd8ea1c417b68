import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { PaygateError } from '../errors/paygate-error.js';
import { DELIVERY_MACHINE } from './delivery-machine.js';
import { type EventOf, type Machine, type StateOf, allowedEvents, canTransition, defineMachine, isTerminal, statesOf, transition } from './machine.js';
import { ORDER_MACHINE, type OrderEvent, type OrderStatus } from './order-machine.js';
import { PAYMENT_MACHINE } from './payment-machine.js';
import { REFUND_MACHINE } from './refund-machine.js';

const MACHINES = [ORDER_MACHINE, PAYMENT_MACHINE, REFUND_MACHINE, DELIVERY_MACHINE] as Machine<string, string>[];

function eventsOf(machine: Machine<string, string>): string[] {
  return [...new Set(Object.values(machine.table).flatMap((row) => Object.keys(row)))];
}

function invalid(fn: () => unknown): PaygateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PaygateError && err.code === 'INVALID_STATE_ERROR') return err;
    throw err;
  }
  throw new Error('expected INVALID_STATE_ERROR');
}

describe('transition', () => {
  it('returns the next state from the table', () => {
    expect(transition(PAYMENT_MACHINE, 'pending', 'succeed')).toBe('success');
    expect(transition(ORDER_MACHINE, 'attempted', 'pay')).toBe('paid');
  });

  it('names machine, state, event and the allowed events', () => {
    expect(invalid(() => transition(ORDER_MACHINE, 'attempted', 'bogus' as OrderEvent)).description).toBe(
      "Cannot apply 'bogus' to an order in state 'attempted'; allowed events from 'attempted': attempt, pay",
    );
    expect(invalid(() => transition(DELIVERY_MACHINE, 'success', 'deliver')).description).toBe(
      "Cannot apply 'deliver' to a webhook delivery in state 'success'; allowed events from 'success': retry_manually",
    );
  });

  it('says when the state is final', () => {
    expect(invalid(() => transition(PAYMENT_MACHINE, 'failed', 'succeed')).description).toBe(
      "Cannot apply 'succeed' to a payment in state 'failed'; 'failed' is a final state: no events are allowed",
    );
  });

  it('says when the state is not one of the machine (e.g. a bad database value)', () => {
    const err = invalid(() => transition(REFUND_MACHINE, 'constructor' as 'pending', 'process'));
    expect(err.description).toBe(
      "Cannot apply 'process' to a refund in state 'constructor'; 'constructor' is not a refund state (states: pending, processed, failed)",
    );
    expect(canTransition(REFUND_MACHINE, 'toString' as 'pending', 'process')).toBe(false);
    expect(isTerminal(REFUND_MACHINE, 'toString' as 'pending')).toBe(false);
    expect(allowedEvents(REFUND_MACHINE, 'toString' as 'pending')).toEqual([]);
  });

  it('does not follow inherited properties of a row', () => {
    expect(canTransition(PAYMENT_MACHINE, 'pending', 'toString' as 'fail')).toBe(false);
  });

  it('agrees with canTransition and stays inside the machine (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MACHINES).chain((m) => fc.tuple(fc.constant(m), fc.constantFrom(...statesOf(m)), fc.constantFrom(...eventsOf(m)))),
        ([machine, state, event]) => {
          if (canTransition(machine, state, event)) {
            expect(statesOf(machine)).toContain(transition(machine, state, event));
            expect(allowedEvents(machine, state)).toContain(event);
          } else {
            expect(() => transition(machine, state, event)).toThrow(PaygateError);
            expect(allowedEvents(machine, state)).not.toContain(event);
          }
        },
      ),
    );
  });
});

describe('no path leaves a terminal state (property)', () => {
  it.each([
    ['payment', PAYMENT_MACHINE],
    ['refund', REFUND_MACHINE],
    ['order', ORDER_MACHINE],
  ] as const)('%s', (_name, machine) => {
    const m = machine as Machine<string, string>;
    const start = statesOf(m)[0] ?? '';
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...eventsOf(m)), { maxLength: 30 }), (events) => {
        let state = start;
        let reachedTerminal = false;
        for (const event of events) {
          const before = state;
          try {
            state = transition(m, state, event);
          } catch (err) {
            expect((err as PaygateError).code).toBe('INVALID_STATE_ERROR');
          }
          if (reachedTerminal) expect(state).toBe(before);
          if (isTerminal(m, state)) reachedTerminal = true;
        }
      }),
    );
  });
});

describe('isTerminal, statesOf, allowedEvents', () => {
  it('terminal states are exactly the empty rows', () => {
    const terminals = MACHINES.map((m) => statesOf(m).filter((s) => isTerminal(m, s)));
    expect(terminals).toEqual([['paid'], ['success', 'failed'], ['processed', 'failed'], []]);
  });

  it('lists states and events in table order', () => {
    expect(statesOf(ORDER_MACHINE)).toEqual(['created', 'attempted', 'paid']);
    expect(allowedEvents(ORDER_MACHINE, 'created')).toEqual(['attempt', 'pay']);
    expect(allowedEvents(ORDER_MACHINE, 'paid')).toEqual([]);
  });
});

describe('defineMachine', () => {
  it('freezes the table so no one adds a transition at run time', () => {
    const m = defineMachine<'a' | 'b', 'go'>('demo', { a: { go: 'b' }, b: {} });
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.table)).toBe(true);
    expect(Object.isFrozen(m.table.a)).toBe(true);
    expect(() => {
      (m.table.b as Record<string, string>)['go'] = 'a';
    }).toThrow(TypeError);
    expect(Object.isFrozen(PAYMENT_MACHINE.table.pending)).toBe(true);
  });

  it('infers state and event types', () => {
    expectTypeOf<StateOf<typeof ORDER_MACHINE>>().toEqualTypeOf<OrderStatus>();
    expectTypeOf<EventOf<typeof ORDER_MACHINE>>().toEqualTypeOf<OrderEvent>();
    expectTypeOf(transition(ORDER_MACHINE, 'created', 'attempt')).toEqualTypeOf<OrderStatus>();
  });
});

import { describe, expect, it } from 'vitest';
import type { DeliveryToAttempt } from '../../adapters/db/operations/deliveries.js';
import type { LeasedDeliveryHandoff } from '../service-deps.js';
import { createLateHandoff } from './late-handoff.js';

describe('createLateHandoff', () => {
  it('says a call before the dispatcher is bound is a wiring mistake, and forwards every call once it is', () => {
    const handoff = createLateHandoff();
    const now = new Date('2026-01-01T00:00:00Z');
    expect(() => handoff.leaseUntil(now)).toThrow(/no delivery dispatcher is bound yet/);
    expect(() => handoff.admitLeased([])).toThrow(/no delivery dispatcher is bound yet/);

    const admitted: string[] = [];
    const dispatcher: LeasedDeliveryHandoff = {
      leaseUntil: (realNow) => new Date(realNow.getTime() + 25_000),
      admitLeased: (deliveries) => admitted.push(...deliveries.map((d) => d.id)),
    };
    handoff.bind(dispatcher);
    expect(handoff.leaseUntil(now)).toEqual(new Date('2026-01-01T00:00:25Z'));
    handoff.admitLeased([{ id: 'whd_1' } as DeliveryToAttempt]);
    expect(admitted).toEqual(['whd_1']);
  });
});

import { describe, expect, it } from 'vitest';
import { createExpiringSet } from './expiring-set.js';

describe('createExpiringSet', () => {
  it('holds a key until its time, then no longer, and lets go of it when looked up', () => {
    const set = createExpiringSet();
    set.add('a', 100, 0);
    expect(set.has('a', 99)).toBe(true);
    expect(set.size).toBe(1);
    expect(set.has('a', 100)).toBe(false);
    expect(set.size).toBe(0);
    expect(set.has('never', 0)).toBe(false);
  });

  it('a later add replaces the time, and delete removes the key at once', () => {
    const set = createExpiringSet();
    set.add('a', 100, 0);
    set.add('a', 300, 50);
    expect(set.has('a', 200)).toBe(true);
    set.delete('a');
    expect(set.has('a', 200)).toBe(false);
  });

  it('sweeps expired keys out once it reaches sweepAt entries, keeping the live ones, and then waits for twice as many', () => {
    const set = createExpiringSet({ sweepAt: 4 });
    set.add('old1', 10, 0);
    set.add('old2', 10, 0);
    set.add('live', 1_000, 0);
    expect(set.size).toBe(3);
    // The fourth entry reaches the bound at time 20: both expired keys go, unlooked-up
    set.add('new', 1_000, 20);
    expect(set.size).toBe(2);
    expect(set.has('live', 20)).toBe(true);
    expect(set.has('new', 20)).toBe(true);
    // All live now: the bound is max(4, 2 × 2) = 4 again; at 4 entries it sweeps and keeps all, and the bound becomes 8
    set.add('x', 1_000, 20);
    set.add('y', 1_000, 20);
    expect(set.size).toBe(4);
    for (const k of ['p', 'q', 'r']) set.add(k, 1_000, 20);
    expect(set.size).toBe(7);
    // Expired by 2,000: the eighth entry sweeps every other out
    set.add('z', 3_000, 2_000);
    expect(set.size).toBe(1);
    expect(set.has('z', 2_000)).toBe(true);
  });
});

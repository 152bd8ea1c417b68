import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEndpointSlots } from './endpoint-slots.js';

/** Slots whose items run until the test ends them, recording what started and what came back. */
function harness(perEndpoint: number, maxWaitMs: number) {
  const started: string[] = [];
  const handedBack: string[][] = [];
  const running = new Map<string, () => void>();
  const slots = createEndpointSlots<string>({
    perEndpoint,
    maxWaitMs,
    start: (item) => {
      started.push(item);
      return new Promise<void>((resolve) => running.set(item, resolve));
    },
    handBack: (items) => handedBack.push(items),
  });
  const end = async (item: string) => {
    running.get(item)!();
    await vi.advanceTimersByTimeAsync(0); // let the freed slot be taken
  };
  return { slots, started, handedBack, end };
}

describe('createEndpointSlots', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts up to the limit, starts the next waiting one when a slot frees, and hands back one that waited too long', async () => {
    // Given an endpoint with 2 slots and a 1 s wait limit
    const { slots, started, handedBack, end } = harness(2, 1_000);
    // When 5 deliveries arrive at once
    const left = ['d1', 'd2', 'd3', 'd4', 'd5'].map((d) => slots.admit('m1 https://a.example', d));
    // Then 2 start and 3 wait
    expect(started).toEqual(['d1', 'd2']);
    // When one ends after 0.5 s, the first waiting one starts; when another ends at 0.9 s, the next
    await vi.advanceTimersByTimeAsync(500);
    await end('d1');
    expect(started).toEqual(['d1', 'd2', 'd3']);
    await vi.advanceTimersByTimeAsync(400);
    await end('d2');
    expect(started).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(handedBack).toEqual([]);
    // Then the last, still waiting at 1 s, is handed back and never starts
    await vi.advanceTimersByTimeAsync(100);
    expect(handedBack).toEqual([['d5']]);
    await end('d3');
    expect(started).toEqual(['d1', 'd2', 'd3', 'd4']);
    // And every admission has left the queue
    await expect(Promise.all(left)).resolves.toHaveLength(5);
  });

  it('keeps endpoints apart: a full one does not hold back another', () => {
    const { slots, started } = harness(1, 1_000);
    void slots.admit('m1 https://slow.example', 'a1');
    void slots.admit('m1 https://slow.example', 'a2');
    void slots.admit('m2 https://slow.example', 'b1');
    void slots.admit('m1 https://fast.example', 'c1');
    expect(started).toEqual(['a1', 'b1', 'c1']);
  });

  it('hands back every waiting item in one call on close, and starts nothing after', async () => {
    const { slots, started, handedBack, end } = harness(1, 1_000);
    const left = ['d1', 'd2', 'd3'].map((d) => slots.admit('m1 https://a.example', d));
    void slots.admit('m2 https://b.example', 'e1');
    void slots.admit('m2 https://b.example', 'e2');

    slots.close();

    expect(handedBack).toEqual([['d2', 'd3', 'e2']]);
    await expect(Promise.all(left)).resolves.toHaveLength(3);
    await end('d1');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toEqual(['d1', 'e1']);
    expect(handedBack).toEqual([['d2', 'd3', 'e2']]);
    void slots.admit('m1 https://a.example', 'late');
    expect(started).toEqual(['d1', 'e1']);
    expect(handedBack).toEqual([['d2', 'd3', 'e2'], ['late']]);
  });

  it('frees the slot when an item fails, too', async () => {
    const handedBack: string[][] = [];
    const started: string[] = [];
    const slots = createEndpointSlots<string>({
      perEndpoint: 1,
      maxWaitMs: 1_000,
      start: (item) => {
        started.push(item);
        return item === 'bad' ? Promise.reject(new Error('boom')) : new Promise<void>(() => {});
      },
      handBack: (items) => handedBack.push(items),
    });
    void slots.admit('k', 'bad');
    void slots.admit('k', 'next');
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['bad', 'next']);
    expect(handedBack).toEqual([]);
  });
});

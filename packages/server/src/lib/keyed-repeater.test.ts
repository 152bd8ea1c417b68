import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKeyedRepeater } from './keyed-repeater.js';

describe('createKeyedRepeater', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls every everyMs until forMs have passed, once at or after the end, then stops on its own', () => {
    const repeater = createKeyedRepeater(50);
    const calls: number[] = [];
    repeater.start('a', 200, () => calls.push(performance.now()));
    vi.advanceTimersByTime(1_000);
    expect(calls).toEqual([50, 100, 150, 200]);
    expect(repeater.size).toBe(0);
  });

  it('a start while repeating extends the while and takes the newer function, without a second timer', () => {
    const repeater = createKeyedRepeater(50);
    const calls: string[] = [];
    repeater.start('a', 100, () => calls.push('first'));
    vi.advanceTimersByTime(60);
    repeater.start('a', 100, () => calls.push('second')); // until 160 now
    vi.advanceTimersByTime(1_000);
    expect(calls).toEqual(['first', 'second', 'second', 'second']);
    // A shorter while begun later never cuts the longer one short
    repeater.start('b', 300, () => calls.push('b'));
    repeater.start('b', 50, () => calls.push('b'));
    vi.advanceTimersByTime(1_000);
    expect(calls.filter((c) => c === 'b')).toHaveLength(6);
  });

  it('keeps keys apart, and stop / stopAll end them at once', () => {
    const repeater = createKeyedRepeater(50);
    const calls: string[] = [];
    repeater.start('a', 1_000, () => calls.push('a'));
    repeater.start('b', 1_000, () => calls.push('b'));
    repeater.start('c', 1_000, () => calls.push('c'));
    vi.advanceTimersByTime(50);
    expect(calls.sort()).toEqual(['a', 'b', 'c']);
    repeater.stop('a');
    vi.advanceTimersByTime(50);
    expect(calls.filter((c) => c === 'a')).toHaveLength(1);
    expect(repeater.size).toBe(2);
    repeater.stopAll();
    vi.advanceTimersByTime(500);
    expect(calls).toHaveLength(5);
    expect(repeater.size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { createInProcessQueue } from './in-process.js';

/** Keeps the thread busy, as a long turn of the event loop does (a big JSON, a slow handler). */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('the in-process queue', () => {
  it('never hands a delayed job over before its time by the wall clock, even when queued late in a long turn of the event loop', async () => {
    const queue = createInProcessQueue();
    const handed: Array<{ ids: string[]; at: number }> = [];
    queue.process('payments', 4, async (ids) => void handed.push({ ids, at: Date.now() }));
    // The turn has run 40 ms when the jobs are queued: a timer set now counts from its start.
    busyFor(40);
    const runAt = Date.now() + 60;
    await queue.enqueue('payments', ['pay_1'], { runAt: new Date(runAt) });
    await queue.enqueue('payments', ['pay_2']);
    await expect.poll(() => handed.length, { timeout: 2_000, interval: 5 }).toBe(2);
    expect(handed.map((h) => h.ids)).toEqual([['pay_2'], ['pay_1']]);
    expect(handed[1]!.at).toBeGreaterThanOrEqual(runAt);
    await queue.close(100);
  });

  it('hands each id over with the copy it was queued with, in the jobs it shares with others', async () => {
    const queue = createInProcessQueue();
    const handed: Array<[string, string | undefined]> = [];
    await queue.enqueue('payments', ['pay_1', 'pay_2'], { copies: ['copy of pay_1', 'copy of pay_2'] });
    await queue.enqueue('payments', ['pay_3']);
    queue.process('payments', 1, async (ids, copies) => void ids.forEach((id, i) => handed.push([id, copies?.[i]])));
    await expect.poll(() => handed.length, { timeout: 2_000, interval: 5 }).toBe(3);
    expect(handed).toEqual([
      ['pay_1', 'copy of pay_1'],
      ['pay_2', 'copy of pay_2'],
      ['pay_3', undefined],
    ]);
    await queue.close(100);
  });
});

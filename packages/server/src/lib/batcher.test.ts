import { describe, expect, it, vi } from 'vitest';
import { batchOrEach, createBatcher, createGroupCommit, type ItemResult } from './batcher.js';

/** A run function whose batches stay open until released, recording what each got. */
function gatedRun<T>() {
  const batches: T[][] = [];
  const gates: Array<() => void> = [];
  const run = (items: T[]) => {
    batches.push(items);
    return new Promise<ItemResult<string>[]>((resolve) => gates.push(() => resolve(items.map((i) => ({ ok: true, value: `done:${String(i)}` })))));
  };
  const releaseAll = () => gates.splice(0).forEach((g) => g());
  return { run, batches, releaseAll };
}

// A few turns of the event loop: a finished batch frees its slot, then the next one starts.
const turn = async () => {
  for (let i = 0; i < 3; i += 1) await new Promise((r) => setImmediate(r));
};

describe('createBatcher (group commit)', () => {
  it('runs a lone item at once, by itself', async () => {
    const g = gatedRun<number>();
    const batcher = createBatcher({ run: g.run, maxBatch: 10, maxInFlight: 1 });
    const result = batcher.add([7]);
    await turn();
    expect(g.batches).toEqual([[7]]);
    g.releaseAll();
    expect(await result).toEqual(['done:7']);
  });

  it('pools what arrives while a batch is in flight into the next one, and answers each caller with its own results', async () => {
    const g = gatedRun<number>();
    const batcher = createBatcher({ run: g.run, maxBatch: 10, maxInFlight: 1 });
    const first = batcher.add([1]);
    await turn();
    const later = [batcher.add([2, 3]), batcher.add([4]), batcher.add([5])];
    await turn();
    expect(g.batches).toEqual([[1]]); // the others wait: one batch in flight at most
    g.releaseAll();
    await first;
    await turn();
    expect(g.batches).toEqual([[1], [2, 3, 4, 5]]);
    g.releaseAll();
    expect(await Promise.all(later)).toEqual([['done:2', 'done:3'], ['done:4'], ['done:5']]);
  });

  it('keeps batches within maxBatch without splitting a caller, and runs up to maxInFlight at once', async () => {
    const g = gatedRun<number>();
    const batcher = createBatcher({ run: g.run, maxBatch: 3, maxInFlight: 2 });
    const all = [batcher.add([1, 2]), batcher.add([3, 4]), batcher.add([5]), batcher.add([6, 7, 8, 9])];
    await turn();
    expect(g.batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    g.releaseAll();
    await Promise.all(all.slice(0, 3));
    await turn();
    // a caller larger than maxBatch still goes whole, alone
    expect(g.batches.at(-1)).toEqual([6, 7, 8, 9]);
    g.releaseAll();
    await expect(all[3]).resolves.toHaveLength(4);
  });

  it('fails only the caller whose item failed, and every caller of a batch that threw', async () => {
    const batches: string[][] = [];
    const batcher = createBatcher<string, string>({
      run: async (items) => {
        batches.push(items);
        if (items.includes('boom')) throw new Error('database down');
        return items.map((i) => (i === 'bad' ? { ok: false, error: new Error(`bad item ${i}`) } : { ok: true, value: i.toUpperCase() }));
      },
      maxBatch: 10,
      maxInFlight: 1,
    });
    // added in the same turn: one batch
    const [good, bad] = [batcher.add(['a']), batcher.add(['bad'])];
    await expect(good).resolves.toEqual(['A']);
    await expect(bad).rejects.toThrow('bad item bad');
    const [bystander, boom] = [batcher.add(['b']), batcher.add(['boom'])];
    await expect(bystander).rejects.toThrow('database down');
    await expect(boom).rejects.toThrow('database down');
    expect(batches).toEqual([
      ['a', 'bad'],
      ['b', 'boom'],
    ]);
  });

  it('with lingerMs, waits that long for company before a batch short of maxBatch starts, and not at all for a full one', async () => {
    vi.useFakeTimers();
    try {
      const g = gatedRun<number>();
      const batcher = createBatcher({ run: g.run, maxBatch: 3, maxInFlight: 1, lingerMs: 50 });
      const first = batcher.add([1]);
      await vi.advanceTimersByTimeAsync(20);
      expect(g.batches).toEqual([]); // lingering
      const second = batcher.add([2]);
      await vi.advanceTimersByTimeAsync(30);
      expect(g.batches).toEqual([[1, 2]]); // 50 ms after the first, with what came meanwhile
      g.releaseAll();
      expect(await Promise.all([first, second])).toEqual([['done:1'], ['done:2']]);

      const full = batcher.add([3, 4, 5]);
      await vi.advanceTimersByTimeAsync(0);
      expect(g.batches).toEqual([
        [1, 2],
        [3, 4, 5],
      ]); // a full batch goes at once
      g.releaseAll();
      await full;
    } finally {
      vi.useRealTimers();
    }
  });

  it('with lingerWhileBusyMs, a lone item goes at once, and items that come while a batch runs wait that long for company', async () => {
    vi.useFakeTimers();
    try {
      const g = gatedRun<number>();
      const batcher = createBatcher({ run: g.run, maxBatch: 10, maxInFlight: 2, lingerWhileBusyMs: 5 });
      // Nothing running: the item goes at once, as without the option
      const first = batcher.add([1]);
      await vi.advanceTimersByTimeAsync(0);
      expect(g.batches).toEqual([[1]]);
      // A batch is running and a slot is free: the next items wait for company...
      const next = [batcher.add([2]), batcher.add([3])];
      await vi.advanceTimersByTimeAsync(3);
      expect(g.batches).toEqual([[1]]);
      const late = batcher.add([4]);
      // ...and go together 5 ms after the first of them came
      await vi.advanceTimersByTimeAsync(2);
      expect(g.batches).toEqual([[1], [2, 3, 4]]);
      g.releaseAll();
      expect(await Promise.all([first, ...next, late])).toEqual([['done:1'], ['done:2'], ['done:3'], ['done:4']]);
      // Idle again: a lone item goes at once
      const alone = batcher.add([5]);
      await vi.advanceTimersByTimeAsync(0);
      expect(g.batches.at(-1)).toEqual([5]);
      // A wait begun while busy lasts its time even once the batch it waited on is done...
      const waiter = batcher.add([6]);
      g.releaseAll();
      await vi.advanceTimersByTimeAsync(4);
      expect(g.batches.at(-1)).toEqual([5]);
      await vi.advanceTimersByTimeAsync(1);
      expect(g.batches.at(-1)).toEqual([6]);
      // ...and ends at once when the batch fills up
      const filler = batcher.add([7]);
      const rest = batcher.add([8, 9, 10, 11, 12, 13, 14, 15, 16]);
      await vi.advanceTimersByTimeAsync(0);
      expect(g.batches.at(-1)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
      g.releaseAll();
      await Promise.all([filler, rest]);
      expect(await Promise.all([alone, waiter])).toEqual([['done:5'], ['done:6']]);
      // With one slot (PGlite), nothing waits for company: a batch starts the moment the slot frees
      const single = createBatcher({ run: g.run, maxBatch: 10, maxInFlight: 1, lingerWhileBusyMs: 5 });
      const a = single.add([20]);
      await vi.advanceTimersByTimeAsync(0);
      const b = single.add([21]);
      g.releaseAll();
      await vi.advanceTimersByTimeAsync(0);
      expect(g.batches.slice(-2)).toEqual([[20], [21]]);
      g.releaseAll();
      await Promise.all([a, b]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with startAt, starts a batch inside the turn once that many items wait, and leaves the rest of the turn for the next', async () => {
    const g = gatedRun<number>();
    const batcher = createBatcher({ run: g.run, maxBatch: 10, maxInFlight: 2, startAt: 3 });
    // A burst of seven in one turn, as a socket read of seven requests gives it
    const burst = [1, 2, 3, 4, 5, 6, 7].map((i) => {
      const added = batcher.add([i]);
      if (i === 2) expect(g.batches).toEqual([]); // short of startAt: nothing yet
      if (i === 3) expect(g.batches).toEqual([[1, 2, 3]]); // reached: started before the turn ends
      return added;
    });
    expect(g.batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    // Both slots taken: the seventh waits for one, and goes alone at the turn's end once freed
    await turn();
    expect(g.batches).toHaveLength(2);
    g.releaseAll();
    await turn();
    expect(g.batches.at(-1)).toEqual([7]);
    g.releaseAll();
    expect(await Promise.all(burst)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => [`done:${i}`]));
    // Short of startAt, items go together at the turn's end, as without it
    const few = [batcher.add([8]), batcher.add([9])];
    expect(g.batches).toHaveLength(3);
    await turn();
    expect(g.batches.at(-1)).toEqual([8, 9]);
    g.releaseAll();
    await Promise.all(few);
  });

  it('rejects the callers of a run that returns the wrong number of results', async () => {
    const batcher = createBatcher<number, number>({ run: async () => [{ ok: true, value: 1 }], maxBatch: 10, maxInFlight: 1 });
    await expect(batcher.add([1, 2])).rejects.toThrow('returned 1 results for 2 items');
  });
});

describe('createGroupCommit', () => {
  it('sends a lone item to `one`, a batch to `many`, and each item of a failed batch to `one`', async () => {
    const calls: string[] = [];
    const commit = createGroupCommit<number, number>({
      many: async (items) => {
        calls.push(`many ${items.join(',')}`);
        if (items.includes(13)) throw new Error('a bad row');
        return items.map((i) => i * 10);
      },
      one: async (item) => {
        calls.push(`one ${item}`);
        if (item === 13) throw new Error('row 13 refused');
        return item * 10;
      },
      maxBatch: 10,
      maxInFlight: 1,
    });
    expect(await commit.add([1])).toEqual([10]);
    expect(await Promise.all([commit.add([2]), commit.add([3])])).toEqual([[20], [30]]);
    const [good, bad] = [commit.add([4]), commit.add([13])];
    expect(await good).toEqual([40]);
    await expect(bad).rejects.toThrow('row 13 refused');
    expect(calls).toEqual(['one 1', 'many 2,3', 'many 4,13', 'one 4', 'one 13']);
  });
});

describe('batchOrEach', () => {
  it('sends a lone item to `each`, several to `batch`', async () => {
    const seen: string[] = [];
    const batch = async (items: number[]) => (seen.push(`batch ${items.join(',')}`), items.map((i) => i * 10));
    const each = async (i: number) => (seen.push(`each ${i}`), i);
    expect(await batchOrEach([1], batch, each)).toEqual([{ ok: true, value: 1 }]);
    expect(await batchOrEach([2, 3], batch, each)).toEqual([
      { ok: true, value: 20 },
      { ok: true, value: 30 },
    ]);
    expect(seen).toEqual(['each 1', 'batch 2,3']);
  });

  it('retries each item alone when the batch fails, so only the bad one fails', async () => {
    const batch = async () => {
      throw new Error('violates check constraint');
    };
    const each = async (i: number) => {
      if (i === 2) throw new Error(`row ${i} is bad`);
      return i;
    };
    const results = await batchOrEach([1, 2, 3], batch, each);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ ok: false, error: new Error('row 2 is bad') });
  });
});

import { describe, expect, it } from 'vitest';
import { decodeJob, encodeJob } from './redis-list-queue.js';

describe("a Redis job's list element", () => {
  it('is the ids joined by commas when none has a copy, as jobs have always been', () => {
    const job = encodeJob([
      { id: 'pay_1', copy: undefined },
      { id: 'pay_2', copy: undefined },
    ]);
    expect(job).toBe('pay_1,pay_2');
    expect(decodeJob(job)).toEqual({ ids: ['pay_1', 'pay_2'] });
  });

  it('carries each copy on a line of its own after the ids, aligned with them', () => {
    const job = encodeJob([
      { id: 'pay_1', copy: '{"id":"pay_1"}' },
      { id: 'pay_2', copy: undefined },
      { id: 'pay_3', copy: '{"id":"pay_3","note":"a, b"}' },
    ]);
    expect(decodeJob(job)).toEqual({ ids: ['pay_1', 'pay_2', 'pay_3'], copies: ['{"id":"pay_1"}', undefined, '{"id":"pay_3","note":"a, b"}'] });
  });

  it('leaves out a copy with a line break, which would shift the others', () => {
    const job = encodeJob([
      { id: 'pay_1', copy: 'two\nlines' },
      { id: 'pay_2', copy: 'one line' },
    ]);
    expect(decodeJob(job)).toEqual({ ids: ['pay_1', 'pay_2'], copies: [undefined, 'one line'] });
  });
});

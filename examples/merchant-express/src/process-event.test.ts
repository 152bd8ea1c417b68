import { createTestEvent } from '@paygate/webhook-verify/testing';
import { describe, expect, it } from 'vitest';
import { PaymentBook, createEventProcessor } from './process-event.js';

describe('createEventProcessor', () => {
  it('keeps the newest payment snapshot when events arrive out of order', () => {
    const book = new PaymentBook();
    const lines: string[] = [];
    const process = createEventProcessor(book, (line) => lines.push(line));
    const success = createTestEvent('payment.success');
    const pending = createTestEvent('payment.pending', { payment: { id: success.data.payment.id } });
    // success (sequence 3) arrives before pending (sequence 2)
    process(success);
    process(pending);
    expect(book.get(success.data.payment.id)?.status).toBe('success');
    expect(lines[1]).toContain('(stale, ignored)');
  });
});

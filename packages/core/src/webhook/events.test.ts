import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES, isWebhookEventType } from './events.js';

describe('webhook event types', () => {
  it('are the seed events plus refund.failed', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual([
      'payment.created',
      'payment.pending',
      'payment.success',
      'payment.failed',
      'refund.created',
      'refund.processed',
      'refund.failed',
    ]);
  });

  it('isWebhookEventType accepts exactly those', () => {
    expect(isWebhookEventType('payment.success')).toBe(true);
    expect(isWebhookEventType('refund.failed')).toBe(true);
    expect(isWebhookEventType('payment.captured')).toBe(false);
    expect(isWebhookEventType(1)).toBe(false);
  });
});

// Type-level tests, checked by vitest's typecheck mode (tsc), not executed.
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expectTypeOf, it } from 'vitest';
import type { WebhookHeaders } from './headers.js';
import type { EventOf, PaygateWebhookEvent, WebhookPayment, WebhookRefund } from './events.js';
import { createTestEvent } from './testing.js';
import type { RawBody } from './verify-types.js';
import { verifyWebhook } from './verify.js';

describe('event types', () => {
  it('narrow the data by event name', () => {
    expectTypeOf<EventOf<'payment.success'>['data']>().toEqualTypeOf<{ payment: WebhookPayment }>();
    expectTypeOf<EventOf<'refund.failed'>['data']>().toEqualTypeOf<{ refund: WebhookRefund }>();
    expectTypeOf<EventOf<'webhook.test'>['data']>().toEqualTypeOf<{ message: string }>();
    expectTypeOf<PaygateWebhookEvent['sequence']>().toEqualTypeOf<number>();
    const amountOf = (event: PaygateWebhookEvent): number => {
      if (event.event === 'refund.processed') return event.data.refund.amount;
      // @ts-expect-error: a payment event has no refund
      return event.data.refund.amount;
    };
    expectTypeOf(amountOf).returns.toEqualTypeOf<number>();
  });

  it('type what the public functions return and accept', () => {
    expectTypeOf(verifyWebhook).returns.resolves.toEqualTypeOf<PaygateWebhookEvent>();
    expectTypeOf(createTestEvent('refund.created')).toEqualTypeOf<EventOf<'refund.created'>>();
    expectTypeOf<Headers>().toExtend<WebhookHeaders>();
    expectTypeOf<IncomingHttpHeaders>().toExtend<WebhookHeaders>();
    expectTypeOf<Buffer>().toExtend<RawBody>();
    // @ts-expect-error: a parsed object is not a raw body
    void verifyWebhook({ id: 'evt_1' }, {}, 'whsec_x');
  });
});

import { describe, expect, it } from 'vitest';
import { NOW, NOW_SECONDS, OLD_SECRET, SECRET } from '../test/helpers/request.js';
import { referenceLegacySign, referenceVerify } from '../test/helpers/reference-signer.js';
import { PAYGATE_EVENT_NAMES, isPaygateEventName } from './events.js';
import { createSignedRequest, createTestEvent } from './testing.js';
import { verifyWebhook, verifyWebhookSignature } from './verify.js';

describe('createSignedRequest', () => {
  it('builds a delivery the verifier accepts, with both of Paygate’s signatures', async () => {
    const event = createTestEvent('payment.success');
    const { body, headers } = await createSignedRequest({ secret: SECRET, event, timestamp: NOW });
    expect(body).toBe(JSON.stringify(event));
    expect(headers).toMatchObject({ 'content-type': 'application/json', 'webhook-id': event.id, 'webhook-timestamp': String(NOW_SECONDS) });
    expect(referenceVerify({ secret: SECRET, id: event.id, timestamp: NOW_SECONDS, body, header: headers['webhook-signature']! })).toBe(true);
    expect(headers['x-webhook-signature']).toBe(referenceLegacySign({ secret: SECRET, body }));
    await expect(verifyWebhook(body, headers, SECRET, { now: NOW })).resolves.toEqual(event);
  });

  it('signs with every secret given, and can leave out the legacy header', async () => {
    const { body, headers } = await createSignedRequest({
      secret: [SECRET, OLD_SECRET],
      event: createTestEvent('refund.created'),
      timestamp: NOW_SECONDS,
      legacySignature: false,
    });
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(headers).not.toHaveProperty('x-webhook-signature');
    expect((await verifyWebhookSignature(body, headers, OLD_SECRET, { now: NOW })).secretIndex).toBe(0);
  });

  it('takes an exact body string and reads the id from it', async () => {
    const body = '{"id":"evt_fromBody","event":"payment.created","timestamp":"t","data":{"payment":{}}}';
    const { headers } = await createSignedRequest({ secret: SECRET, event: body, timestamp: NOW });
    expect(headers['webhook-id']).toBe('evt_fromBody');
  });

  it('defaults the timestamp to now, so the default tolerance accepts it', async () => {
    const request = await createSignedRequest({ secret: SECRET, event: createTestEvent('payment.pending') });
    await expect(verifyWebhook(request.body, request.headers, SECRET)).resolves.toMatchObject({ event: 'payment.pending' });
  });
});

describe('createTestEvent', () => {
  it.each(PAYGATE_EVENT_NAMES)('builds a complete %s', (name) => {
    const event = createTestEvent(name, { id: 'evt_fixed' });
    expect(event).toMatchObject({ id: 'evt_fixed', event: name });
    if (event.event === 'webhook.test') {
      expect(event.data.message).toContain('test webhook');
      return;
    }
    const record = 'payment' in event.data ? event.data.payment : event.data.refund;
    expect(record.id).toMatch(/^(pay|rfnd)_[A-Za-z0-9]{16}$/);
    expect(record.entity).toBe(name.split('.')[0]);
    expect(record.status).toBe({ created: 'pending', pending: 'pending', success: 'success', failed: 'failed', processed: 'processed' }[name.split('.')[1]!]);
  });

  it('applies overrides and keeps refundable_amount consistent with amount', () => {
    const event = createTestEvent('payment.success', { payment: { amount: 100 } });
    expect(event).toMatchObject({ sequence: 3, data: { payment: { amount: 100, refundable_amount: 100, captured: true } } });
    expect(createTestEvent('payment.failed').data.payment).toMatchObject({ error_code: 'PAYMENT_FAILED', captured: false });
  });

  it('gives each event a different id', () => {
    expect(createTestEvent('payment.created').id).not.toBe(createTestEvent('payment.created').id);
  });
});

describe('event names', () => {
  it('isPaygateEventName knows the seven business events and webhook.test', () => {
    expect(PAYGATE_EVENT_NAMES).toHaveLength(8);
    expect(isPaygateEventName('webhook.test')).toBe(true);
    expect(isPaygateEventName('refund.failed')).toBe(true);
    expect(isPaygateEventName('payment.disputed')).toBe(false);
    expect(isPaygateEventName(42)).toBe(false);
  });
});

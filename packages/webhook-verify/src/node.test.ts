import { describe, expect, it } from 'vitest';
import { NOW, OLD_SECRET, validRequest, verificationError, verificationErrorSync } from '../test/helpers/request.js';
import { coreVectors, vectorHeaders } from '../test/helpers/vectors.js';
import { WebhookVerificationError, verifyWebhookSignatureSync, verifyWebhookSync } from './node.js';
import { verifyWebhook } from './verify.js';

describe('the synchronous node:crypto entry', () => {
  it.each(coreVectors().standardWebhooks)('verifies the vector "$name"', (vector) => {
    const result = verifyWebhookSignatureSync(vector.body, vectorHeaders(vector), vector.secret, { now: vector.timestamp * 1000 });
    expect(result).toMatchObject({ scheme: 'v1', id: vector.id, secretIndex: 0 });
  });

  it('returns the same event as the WebCrypto entry', async () => {
    const { body, headers, secret } = validRequest();
    expect(verifyWebhookSync(body, headers, secret, { now: NOW })).toEqual(await verifyWebhook(body, headers, secret, { now: NOW }));
  });

  it('fails with the same reason and hint as the WebCrypto entry', async () => {
    const { body, headers } = validRequest();
    const sync = verificationErrorSync(() => verifyWebhookSync(body, headers, OLD_SECRET, { now: NOW }));
    const async = await verificationError(verifyWebhook(body, headers, OLD_SECRET, { now: NOW }));
    expect(sync).toBeInstanceOf(WebhookVerificationError);
    expect([sync.reason, sync.hint]).toEqual([async.reason, async.hint]);
  });
});

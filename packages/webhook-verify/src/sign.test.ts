import { describe, expect, it } from 'vitest';
import { OLD_SECRET, SECRET } from '../test/helpers/request.js';
import { STANDARD_WEBHOOKS_VECTOR, coreVectors } from '../test/helpers/vectors.js';
import { WebhookVerificationError } from './errors.js';
import { signLegacyWebhook, signWebhook } from './sign.js';

const vectors = coreVectors();

describe('signWebhook', () => {
  it.each([...vectors.standardWebhooks, STANDARD_WEBHOOKS_VECTOR])('reproduces the vector "$name"', async (vector) => {
    const { secret, id, timestamp, body } = vector;
    await expect(signWebhook({ secret, id, timestamp, body })).resolves.toBe(vector.signature);
  });

  it('takes a Date and rounds it down to the second', async () => {
    const { secret, id, timestamp, body, signature } = STANDARD_WEBHOOKS_VECTOR;
    await expect(signWebhook({ secret, id, timestamp: new Date(timestamp * 1000 + 999), body })).resolves.toBe(signature);
  });

  it('signs bytes the same as the equivalent text', async () => {
    const { secret, id, timestamp, body, signature } = vectors.standardWebhooks[3]!;
    await expect(signWebhook({ secret, id, timestamp, body: new TextEncoder().encode(body) })).resolves.toBe(signature);
  });

  it('emits one space-separated v1 entry per secret, in order, as during a rotation', async () => {
    const input = { id: 'evt_1', timestamp: 1, body: '{}' };
    const both = await signWebhook({ ...input, secret: [SECRET, OLD_SECRET] });
    expect(both).toBe(`${await signWebhook({ ...input, secret: SECRET })} ${await signWebhook({ ...input, secret: OLD_SECRET })}`);
  });

  it.each([
    ['milliseconds', 1705314665000],
    ['a fraction', 1.5],
    ['a negative number', -1],
    ['an invalid Date', new Date('nope')],
  ])('refuses %s as the timestamp', async (_name, timestamp) => {
    await expect(signWebhook({ secret: SECRET, id: 'evt_1', timestamp, body: '{}' })).rejects.toThrow(TypeError);
  });

  it('refuses an empty id and a bad secret', async () => {
    await expect(signWebhook({ secret: SECRET, id: '', timestamp: 1, body: '{}' })).rejects.toThrow(TypeError);
    await expect(signWebhook({ secret: '', id: 'evt_1', timestamp: 1, body: '{}' })).rejects.toThrow(WebhookVerificationError);
  });
});

describe('signLegacyWebhook', () => {
  it.each(vectors.legacy)('reproduces the legacy vector "$name"', async (vector) => {
    await expect(signLegacyWebhook({ secret: vector.secret, body: vector.body })).resolves.toBe(vector.signature);
  });
});

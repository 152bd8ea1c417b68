import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey, generateApiSecret, generateWebhookSecret, hashApiSecret } from './secret.js';
import { webhookKeyBytes } from './sign.js';

const counting = () => {
  let b = 0;
  return (n: number) => Uint8Array.from({ length: n }, () => b++ % 248);
};

describe('generateWebhookSecret', () => {
  it('is whsec_ + base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookKeyBytes(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('uses the injected source', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(generateWebhookSecret(() => bytes)).toBe(`whsec_${Buffer.from(bytes).toString('base64')}`);
  });
});

describe('generateApiSecret', () => {
  it('is secret_ + 32 base62 characters', () => {
    expect(generateApiSecret()).toMatch(/^secret_[0-9A-Za-z]{32}$/);
    expect(generateApiSecret(counting())).toBe('secret_0123456789ABCDEFGHIJKLMNOPQRSTUV');
  });
});

describe('generateApiKey', () => {
  it('is key_test_ or key_live_ + 16 base62 characters', () => {
    expect(generateApiKey('test')).toMatch(/^key_test_[0-9A-Za-z]{16}$/);
    expect(generateApiKey('live')).toMatch(/^key_live_[0-9A-Za-z]{16}$/);
    expect(generateApiKey('test', counting())).toBe('key_test_0123456789ABCDEF');
  });
});

describe('hashApiSecret', () => {
  it('is the hex SHA-256 of the secret', async () => {
    expect(await hashApiSecret('secret_test_xyz789')).toBe(createHash('sha256').update('secret_test_xyz789').digest('hex'));
  });

  it('gives the same hash with an injected synchronous SHA-256 (node:crypto)', async () => {
    const nodeSha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
    for (const secret of ['secret_test_xyz789', 'sécret ✓ 🙂']) {
      expect(await hashApiSecret(secret, nodeSha256)).toBe(await hashApiSecret(secret));
    }
  });
});

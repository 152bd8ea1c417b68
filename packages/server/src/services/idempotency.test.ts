import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_FINGERPRINT_KEY, loadConfig } from '../config.js';
import { startGateway } from '../gateway.js';
import { createLogger } from '../logger.js';
import { requestFingerprint } from './idempotency.js';

const KEY = 'k'.repeat(32);
const payment = (card: Record<string, unknown> = {}) => ({
  order_id: 'order_AAAAAAAAAAAAAAAA',
  method: 'card',
  card: { number: '4242 4242 4242 4242', expiry_month: 12, expiry_year: 2035, cvv: '737', name: 'A Shopper', ...card },
});

describe('requestFingerprint', () => {
  it('is the same for the same body in any key order, and ignores the CVV', () => {
    const a = requestFingerprint(KEY, payment());
    const reordered = {
      card: { cvv: '737', name: 'A Shopper', expiry_year: 2035, expiry_month: 12, number: '4242 4242 4242 4242' },
      method: 'card',
      order_id: 'order_AAAAAAAAAAAAAAAA',
    };
    expect(requestFingerprint(KEY, reordered)).toBe(a);
    expect(requestFingerprint(KEY, payment({ cvv: '000' }))).toBe(a);
    expect(requestFingerprint(KEY, payment({ cvv: undefined }))).toBe(a);
  });

  it('differs for another card number, another field, or another key', () => {
    const a = requestFingerprint(KEY, payment());
    expect(requestFingerprint(KEY, payment({ number: '4000 0000 0000 0002' }))).not.toBe(a);
    expect(requestFingerprint(KEY, payment({ name: 'B Shopper' }))).not.toBe(a);
    expect(requestFingerprint('x'.repeat(32), payment())).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY', () => {
  it('has a public default in development and test mode, none in production', () => {
    expect(loadConfig({}, { PAYGATE_ENV: 'development' }).idempotencyFingerprintKey).toBe(DEVELOPMENT_FINGERPRINT_KEY);
    expect(loadConfig({}, { TEST_MODE: 'true' }).idempotencyFingerprintKey).toBe(DEVELOPMENT_FINGERPRINT_KEY);
    expect(loadConfig({}, {}).idempotencyFingerprintKey).toBeUndefined(); // production by default
    expect(loadConfig({}, { PAYGATE_ENV: 'production' }).idempotencyFingerprintKey).toBeUndefined();
    expect(loadConfig({}, { PAYGATE_ENV: 'production', PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY: KEY }).idempotencyFingerprintKey).toBe(KEY);
    expect(() => loadConfig({}, { PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY: 'short' })).toThrow(
      /PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY: must be at least 32 characters/,
    );
  });

  it('must be set for a production API process to start (a worker does not need it)', async () => {
    const config = loadConfig({ dataDir: 'memory', logLevel: 'silent' }, { PAYGATE_ENV: 'production' });
    expect(config.environment).toBe('production');
    const started = startGateway(config, { role: 'api', logger: createLogger('silent'), listen: false });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toMatchObject({ problems: [expect.stringContaining('PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY')] });
  });
});

import { describe, expect, it } from 'vitest';
import { devBanner } from '../../src/dev/dev-banner.js';
import { paintWith } from '../../src/dev/paint.js';

const input = {
  url: 'http://127.0.0.1:8000',
  mode: 'test',
  dataDir: 'memory',
  startupMs: 1234,
  apiKey: 'key_test_abc123',
  apiSecret: 'secret_test_xyz789',
  webhookSecret: 'whsec_rotated',
  webhookUrl: null,
} as const;

describe('the pg-cli dev banner', () => {
  it('keeps "ready" and the URL on its first line, and lists the URLs, credentials, secret and next command', () => {
    const lines = devBanner(input, paintWith(false)).split('\n');
    const first = lines.find((l) => l.trim() !== '')!;
    expect(first).toContain('ready at http://127.0.0.1:8000 in 1.2 s (test mode, data in memory)');
    const text = lines.join('\n');
    for (const path of ['/api/v1', '/docs', '/dashboard', '/checkout?order_id=<order id>']) expect(text).toContain(`http://127.0.0.1:8000${path}`);
    expect(text).toMatch(/API key\s+key_test_abc123\s+API secret secret_test_xyz789/);
    expect(text).toContain('whsec_rotated');
    expect(text).toContain('pg-cli webhooks config --url');
    // On the default URL the next commands need no --api-url
    expect(text).toMatch(/Try next\s+pg-cli trigger payment\.success\n/);
  });

  it('tells the next command where the gateway is when it is not on the default URL, and suits development mode', () => {
    const text = devBanner({ ...input, url: 'http://127.0.0.1:9000', mode: 'development', webhookUrl: 'http://localhost:4242/hook' }, paintWith(false));
    expect(text).toContain('pg-cli orders create --amount 50000 --api-url http://127.0.0.1:9000');
    expect(text).toContain('pg-cli dashboard --api-url http://127.0.0.1:9000');
    expect(text).toContain('→ http://localhost:4242/hook');
  });

  it('is coloured only when asked', () => {
    expect(devBanner(input, paintWith(false))).not.toContain('\u001B[');
    expect(devBanner(input, paintWith(true))).toContain('\u001B[');
  });
});

import { describe, expect, it } from 'vitest';
import { isPrivateWebhookTarget, type ResolveHost } from './webhook-target.js';

/** A resolver that knows a few names, as an internal DNS would. */
const resolver =
  (table: Record<string, readonly string[]>): ResolveHost =>
  async (hostname) => {
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };

describe('isPrivateWebhookTarget', () => {
  const resolve = resolver({
    'hooks.merchant.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'redis.internal.example': ['10.0.4.7'],
    'split.example': ['93.184.216.34', '192.168.1.20'],
    'nat64.example': ['64:ff9b::a00:407'],
  });

  it('refuses a name that resolves to a private address, even when only one of its addresses is', async () => {
    expect(await isPrivateWebhookTarget('https://redis.internal.example/hook', { resolve })).toBe(true);
    expect(await isPrivateWebhookTarget('https://split.example/hook', { resolve })).toBe(true);
    expect(await isPrivateWebhookTarget('https://nat64.example/hook', { resolve })).toBe(true);
  });

  it('refuses private IP literals in any notation the URL parser accepts', async () => {
    for (const url of [
      'http://127.0.0.1:4000/',
      'http://[::1]/',
      'http://10.1.2.3/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[64:ff9b::a00:1]/',
      'http://0/',
    ]) {
      expect(await isPrivateWebhookTarget(url, { resolve }), url).toBe(true);
    }
  });

  it('allows public names and literals, and names it cannot resolve (the connect-time check still guards them)', async () => {
    expect(await isPrivateWebhookTarget('https://hooks.merchant.example/hook', { resolve })).toBe(false);
    expect(await isPrivateWebhookTarget('https://93.184.216.34/hook', { resolve })).toBe(false);
    expect(await isPrivateWebhookTarget('https://not-yet-in-dns.example/hook', { resolve })).toBe(false);
    const never: ResolveHost = () => new Promise(() => undefined);
    expect(await isPrivateWebhookTarget('https://slow-dns.example/hook', { resolve: never, timeoutMs: 10 })).toBe(false);
  });

  it('asks the system resolver by default: localhost (from /etc/hosts) is refused, with or without the root dot', async () => {
    expect(await isPrivateWebhookTarget('http://localhost:3000/webhook')).toBe(true);
    expect(await isPrivateWebhookTarget('http://LOCALHOST./webhook')).toBe(true);
  });
});

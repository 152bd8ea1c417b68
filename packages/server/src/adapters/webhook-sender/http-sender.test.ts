import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpSender } from './http-sender.js';

/** A lookup that answers like an internal DNS would (and fails for anything else). */
function fakeLookup(table: Readonly<Record<string, readonly LookupAddress[]>>): typeof dnsLookup {
  return ((hostname: string, _opts: object, callback: (err: Error | null, addresses: readonly LookupAddress[]) => void) => {
    const found = table[hostname];
    if (!found) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, found);
  }) as typeof dnsLookup;
}

describe('webhook sender, production (private targets refused at connect time)', () => {
  let server: Server;
  let port: number;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests += 1;
      res.end('OK');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (sender: ReturnType<typeof createHttpSender>, url: string) => sender.send({ url, headers: {}, body: '{}', timeoutMs: 2_000 });

  it.each([
    ['a name that resolves to loopback (the system resolver: localhost)', undefined, 'localhost', ['127.0.0.1', '::1']],
    [
      'a name an internal DNS resolves to a private address',
      { 'hooks.rebind.example': [{ address: '10.20.30.40', family: 4 }] },
      'hooks.rebind.example',
      ['10.20.30.40'],
    ],
    [
      'a name that resolves to NAT64 around loopback',
      { 'nat64.example': [{ address: '64:ff9b::7f00:1', family: 6 }] },
      'nat64.example',
      ['64:ff9b::7f00:1', '7f00:1'],
    ],
    [
      'a name with one public and one private address',
      {
        'split.example': [
          { address: '93.184.216.34', family: 4 },
          { address: '192.168.7.7', family: 4 },
        ],
      },
      'split.example',
      ['192.168.7.7'],
    ],
  ] as const)('refuses %s, sends nothing, and never names the address', async (_what, table, host, addresses) => {
    const sender = createHttpSender({
      allowPrivateTargets: false,
      ...(table ? { lookup: fakeLookup(table as unknown as Record<string, readonly LookupAddress[]>) } : {}),
    });
    try {
      const before = requests;
      const result = await send(sender, `http://${host}:${port}/webhook`);
      expect(result.statusCode).toBeUndefined();
      expect(result.error).toMatch(/^refused: .*private/);
      for (const address of addresses) expect(result.error).not.toContain(address);
      expect(requests).toBe(before);
    } finally {
      await sender.close();
    }
  });

  it('refuses a private IP literal without naming it either', async () => {
    const sender = createHttpSender({ allowPrivateTargets: false });
    try {
      const result = await send(sender, `http://127.0.0.1:${port}/webhook`);
      expect(result.error).toMatch(/^refused: /);
      expect(result.error).not.toContain('127.0.0.1');
    } finally {
      await sender.close();
    }
  });

  it('delivers to the same names when private targets are allowed (development and test mode)', async () => {
    const sender = createHttpSender({ allowPrivateTargets: true });
    try {
      const result = await send(sender, `http://localhost:${port}/webhook`);
      expect(result.statusCode).toBe(200);
    } finally {
      await sender.close();
    }
  });
});

// The package in a real browser: Chromium loads the ESM build from a local server and verifies
// vectors with the page's own WebCrypto (no Node globals, no node:crypto).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_WEBHOOKS_VECTOR, coreVectors } from './helpers/vectors.js';

type WebhookVerify = typeof import('../src/index.js');

const CHROMIUM = '/usr/bin/chromium';
const packageDir = fileURLToPath(new URL('..', import.meta.url));
// CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.
const haveBrowser = existsSync(CHROMIUM) || process.env['CI'] === 'true';
if (!haveBrowser) console.warn(`[webhook-verify] browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

describe.skipIf(!haveBrowser)('in Chromium, with WebCrypto', () => {
  let outDir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Build the current sources into a temporary directory, so the test never runs a stale
    // dist and never races a build writing the real one.
    outDir = mkdtempSync(join(tmpdir(), 'webhook-verify-browser-'));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.json'), '--outDir', outDir, '--tsBuildInfoFile', join(outDir, 'build.tsbuildinfo')], {
      stdio: 'pipe',
    });

    server = createServer((req, res) => {
      const path = req.url === '/' ? null : normalize(join(outDir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
      if (path === null) {
        // The page imports the package itself: vitest rewrites import() inside functions passed
        // to page.evaluate, so the module is handed over through a global instead.
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><title>webhook-verify</title><script type="module">import * as m from "/index.js"; window.webhookVerify = m;</script>');
      } else if (path.startsWith(outDir) && existsSync(path) && extname(path) === '.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(path));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage();
    // 127.0.0.1 is a secure context, so crypto.subtle exists as it does on an https page.
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'webhookVerify' in window);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('runs without Node globals', async () => {
    expect(
      await page.evaluate(() => [
        typeof (globalThis as { Buffer?: unknown }).Buffer,
        typeof (globalThis as { process?: unknown }).process,
        typeof crypto.subtle,
      ]),
    ).toEqual(['undefined', 'undefined', 'object']);
  });

  it('verifies every shared vector and the Standard Webhooks vector, and signs them identically', async () => {
    const vectors = [...coreVectors().standardWebhooks, STANDARD_WEBHOOKS_VECTOR];
    const results = await page.evaluate(async (list) => {
      const m = (window as unknown as { webhookVerify: WebhookVerify }).webhookVerify;
      return Promise.all(
        list.map(async (v) => {
          const headers = new Headers({ 'webhook-id': v.id, 'webhook-timestamp': String(v.timestamp), 'webhook-signature': v.signature });
          const verified = await m.verifyWebhookSignature(v.body, headers, v.secret, { now: v.timestamp * 1000 });
          const signed = await m.signWebhook({ secret: v.secret, id: v.id, timestamp: v.timestamp, body: v.body });
          return { name: v.name, id: verified.scheme === 'v1' ? verified.id : null, signed };
        }),
      );
    }, vectors);
    expect(results).toEqual(vectors.map((v) => ({ name: v.name, id: v.id, signed: v.signature })));
  });

  it('verifies the legacy vectors with legacy on, from bytes', async () => {
    const vectors = coreVectors().legacy;
    const schemes = await page.evaluate(async (list) => {
      const m = (window as unknown as { webhookVerify: WebhookVerify }).webhookVerify;
      return Promise.all(
        list.map(async (v) => {
          const body = new TextEncoder().encode(v.body);
          return (await m.verifyWebhookSignature(body, { 'X-Webhook-Signature': v.signature }, v.secret, { legacy: true })).scheme;
        }),
      );
    }, vectors);
    expect(schemes).toEqual(vectors.map(() => 'legacy'));
  });

  it('rejects a tampered body with the reason code and a WebhookVerificationError', async () => {
    const vector = coreVectors().standardWebhooks[0]!;
    const outcome = await page.evaluate(async (v) => {
      const m = (window as unknown as { webhookVerify: WebhookVerify }).webhookVerify;
      try {
        const headers = { 'webhook-id': v.id, 'webhook-timestamp': String(v.timestamp), 'webhook-signature': v.signature };
        await m.verifyWebhook(v.body.replace('50000', '50001'), headers, v.secret, { now: v.timestamp * 1000 });
        return 'verified';
      } catch (error) {
        return error instanceof m.WebhookVerificationError ? error.reason : `other: ${String(error)}`;
      }
    }, vector);
    expect(outcome).toBe('no_matching_signature');
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.js';
import { DASHBOARD_CSP, dashboardRoutes } from './dashboard.js';

const build = mkdtempSync(join(tmpdir(), 'paygate-dashboard-'));
mkdirSync(join(build, 'assets'));
writeFileSync(join(build, 'index.html'), '<!doctype html><script type="module" src="/dashboard/assets/app-1.js"></script>');
writeFileSync(join(build, 'assets', 'app-1.js'), 'console.log(1)');
afterAll(() => rmSync(build, { recursive: true, force: true }));

async function appIn(mode: 'production' | 'development' | 'test', buildDir: string | undefined = build) {
  const config = loadConfig(
    {
      environment: mode === 'production' ? 'production' : 'development',
      testMode: mode === 'test',
      dataDir: 'memory',
      idempotencyFingerprintKey: 'dashboard-route-test-key',
      logLevel: 'silent',
    },
    {},
  );
  const app = Fastify();
  await app.register(dashboardRoutes, { config, buildDir });
  return app;
}

describe('/dashboard', () => {
  it('serves the app with a strict CSP at /dashboard and at every deep link', async () => {
    const app = await appIn('production');
    for (const url of ['/dashboard', '/dashboard/', '/dashboard/payments/pay_abc', '/dashboard/webhooks']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('/dashboard/assets/app-1.js');
      expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe');
  });

  it('serves hashed assets for good and answers 404 for a missing one, not the page', async () => {
    const app = await appIn('production');
    const asset = await app.inject('/dashboard/assets/app-1.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    const missing = await app.inject('/dashboard/assets/app-0.js');
    expect(missing.statusCode).toBe(404);
    const traversal = await app.inject('/dashboard/../package.json');
    expect(traversal.body).not.toContain('"name"');
  });

  it('gives the seed credentials to the page in development and test mode only', async () => {
    for (const mode of ['development', 'test'] as const) {
      const res = await (await appIn(mode)).inject('/dashboard/session');
      expect(res.json()).toEqual({ mode, seed_credentials: { api_key: 'key_test_abc123', api_secret: 'secret_test_xyz789' } });
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const production = await (await appIn('production')).inject('/dashboard/session');
    expect(production.json()).toEqual({ mode: 'production', seed_credentials: null });
  });

  it('says how to build the dashboard when it was not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'paygate-dashboard-empty-'));
    const app = await appIn('production', empty);
    const res = await app.inject('/dashboard');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    rmSync(empty, { recursive: true, force: true });
  });
});

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '@paygate/server';

// End to end through the real bin/run.js (built dist, as `npx pg-cli` runs it).
const BIN = join(import.meta.dirname, '..', 'bin', 'run.js');
const run = (args: string[]) => promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' } });

describe('pg-cli', () => {
  it('migrate applies every migration once, then has nothing to do (--json)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-cli-'));
    const first = JSON.parse((await run(['migrate', '--data-dir', dir, '--json'])).stdout);
    expect(first.applied.length).toBeGreaterThanOrEqual(8);
    expect(first.applied[0]).toBe('20261126000100_create_merchants');
    const second = JSON.parse((await run(['migrate', '--data-dir', dir, '--json'])).stdout);
    expect(second.applied).toEqual([]);
    // And it created the functions of the statements every payment runs, one of each, for gateways that run no DDL
    const db = createDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const functions = await db('pg_proc')
        .whereRaw('pronamespace = current_schema()::regnamespace')
        .andWhere('proname', 'like', 'paygate\\_%')
        .pluck<string>('proname');
      expect(functions.map((name) => name.replace(/_[0-9a-f]{12}$/, '')).sort()).toEqual([
        'paygate_claim_relay_work',
        'paygate_insert_payments',
        'paygate_insert_payments_leased',
        'paygate_record_delivery_attempts',
        'paygate_settle_payments',
        'paygate_settle_payments_leased',
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('migrate recovers the lock a migrator killed mid-way left set', async () => {
    // Given a database whose knex lock row is still set, as a migrator killed mid-way leaves it
    const dir = mkdtempSync(join(tmpdir(), 'pg-cli-'));
    await run(['migrate', '--data-dir', dir, '--json']);
    const db = createDatabase({ kind: 'pglite', dataDir: dir });
    await db('knex_migrations_lock').update({ is_locked: 1 });
    await db.destroy();

    // When the next migrate runs, then it succeeds (instead of "Migration table is already locked")
    const next = JSON.parse((await run(['migrate', '--data-dir', dir, '--json'])).stdout);
    expect(next.applied).toEqual([]);
  }, 180_000);

  it('merchants create prints the credentials once, and refuses a bad email with exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-cli-'));
    const created = JSON.parse((await run(['merchants', 'create', '--name', 'Acme', '--email', 'ops@acme.test', '--data-dir', dir, '--json'])).stdout);
    expect(created.api_key).toMatch(/^key_live_[0-9A-Za-z]{16}$/);
    expect(created.api_secret).toMatch(/^secret_/);
    expect(created.webhook_secret).toMatch(/^whsec_/);
    const failure = await run(['merchants', 'create', '--name', 'Acme', '--email', 'not-an-email', '--data-dir', dir]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('BAD_REQUEST_ERROR');
  });

  it('dev binds HOST when no --host is given, and stays development (the seed merchant works, no test-mode warning)', async () => {
    // Given HOST=127.0.0.2 (all of 127/8 is loopback) and no test mode
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PAYGATE_') && k !== 'TEST_MODE'));
    const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', '--data-dir', 'memory', '--json'], {
      env: { ...env, HOST: '127.0.0.2', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const ready = out.split('\n').find((l) => l.includes('ready'));
          if (ready) resolve(ready);
        });
        child.once('exit', (code) => reject(new Error(`dev exited early with ${code}: ${stderr}`)));
      });
      const info = JSON.parse(line) as { url: string; mode: string };
      // Then it listens on 127.0.0.2, and not on 127.0.0.1
      expect(info.mode).toBe('development');
      const url = new URL(info.url);
      expect(url.hostname).toBe('127.0.0.2');
      expect((await fetch(`${info.url}/health`)).status).toBe(200);
      await expect(fetch(`http://127.0.0.1:${url.port}/health`)).rejects.toThrow();
      // And it is development: the seed merchant answers, and nothing warns about test mode
      const orders = await fetch(`${info.url}/api/v1/orders`, { headers: { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789' } });
      expect(orders.status).toBe(200);
      expect(stderr).not.toMatch(/WARNING/);
    } finally {
      const exit = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exit;
    }
  });

  it('dev prints a ready line with the URL, serves, and stops gracefully on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', '--data-dir', 'memory', '--test-mode', '--json'], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const ready = out.split('\n').find((l) => l.includes('ready'));
        if (ready) resolve(ready);
      });
      child.once('exit', (code) => reject(new Error(`dev exited early with ${code}`)));
    });
    const info = JSON.parse(line) as { status: string; url: string; mode: string; dashboard: string };
    expect(info).toMatchObject({ status: 'ready', mode: 'test', dashboard: `${info.url}/dashboard` });
    // The built web dashboard is served by the same process
    const dashboard = await fetch(info.dashboard);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<pg-dashboard-app>');
    const order = await fetch(`${info.url}/api/v1/orders`, {
      method: 'POST',
      headers: { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789', 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 50000, currency: 'INR', receipt: 'receipt_123' }),
    });
    expect(order.status).toBe(201);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});

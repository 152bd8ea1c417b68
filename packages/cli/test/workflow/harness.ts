import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isWebhookVerificationError, verifyWebhook } from '@paygate/webhook-verify';
import { expect } from 'vitest';
import { CLI_BIN, freePort } from '../../../server/test/helpers/processes.js';

export const SEED = { apiKey: 'key_test_abc123', apiSecret: 'secret_test_xyz789', webhookSecret: 'whsec_test_abc123' } as const;
export const SEED_HEADERS = { 'x-api-key': SEED.apiKey, 'x-api-secret': SEED.apiSecret } as const;

/** The environment every pg-cli child gets: no credentials or URL leaking in from the machine. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('PAYGATE_') && !['TEST_MODE', 'DATABASE_URL', 'REDIS_URL', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME'].includes(k),
    ),
  );
  return { ...env, LOG_LEVEL: 'warn', NO_COLOR: '1', ...extra };
}

/** A pg-cli child with every stdout and stderr line kept, for waiting on and asserting. */
export type CliProcess = {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  /** Resolves with the first line (stdout or stderr) that matches, waiting up to `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

export function spawnCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const split = (into: string[]) => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      into.push(...lines);
    };
  };
  child.stdout!.on('data', split(stdout));
  child.stderr!.on('data', split(stderr));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  return {
    child,
    stdout,
    stderr,
    exited,
    async waitForLine(pattern, timeoutMs = 30_000) {
      // A plain loop, not expect.poll: it also runs in beforeAll.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = [...stdout, ...stderr].find((l) => pattern.test(l));
        if (found !== undefined) return found;
        if (exitCode !== undefined) throw new Error(`pg-cli ${args[0]} exited (${exitCode}) before printing ${pattern}:\n${[...stdout, ...stderr].join('\n')}`);
        if (Date.now() > deadline) throw new Error(`pg-cli ${args[0]} printed no ${pattern} within ${timeoutMs} ms:\n${[...stdout, ...stderr].join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(signal = 'SIGINT') {
      if (exitCode === undefined) child.kill(signal);
      return exited;
    },
  };
}

/** Runs pg-cli to completion; its exit code and output. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}) {
  const p = spawnCli(args, env);
  const code = await p.exited;
  return { code, stdout: p.stdout.join('\n'), stderr: p.stderr.join('\n') };
}

/**
 * A real `pg-cli dev --test-mode` on a fixed free port and its own data dir, so it can be
 * stopped and started again as the same gateway (same URL, same data).
 */
export async function startDevGateway() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'pg-cli-gateway-'));
  let current: CliProcess | undefined;
  const start = async () => {
    current = spawnCli(['dev', '--test-mode', '--port', String(port), '--data-dir', dataDir, '--json'], {
      TEST_PROCESSING_DELAY: '200',
      // Work the in-process queue lost in a restart is picked up after this long (30 s by default).
      PAYGATE_RELAY_STALE_MS: '1000',
    });
    await current.waitForLine(/"status":"ready"/, 60_000);
  };
  await start();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    /** SIGTERM (graceful), then the same gateway again. */
    async restart() {
      expect(await current!.stop('SIGTERM')).toBe(0);
      await start();
    },
    async stop() {
      await current?.stop('SIGTERM');
    },
    async api(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) {
      const res = await fetch(url + path, {
        method,
        headers: { ...SEED_HEADERS, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

export type ReceivedForward = {
  headers: IncomingHttpHeaders;
  body: string;
  event: string;
  id: string;
  /** Both schemes verified: Standard Webhooks with @paygate/webhook-verify, and the seed's snippet. */
  standardVerified: boolean;
  seedVerified: boolean;
  status: number;
};

/**
 * The merchant's receiver: checks each request with @paygate/webhook-verify and with the seed
 * README's snippet (hex HMAC-SHA256 of JSON.stringify(req.body) with the secret it holds now), then answers
 * what `respond` says (default: 200 when both verify, 401 otherwise).
 */
export async function startVerifyingReceiver(secret: string | (() => string), respond?: (n: number, r: Omit<ReceivedForward, 'status'>) => number) {
  const secretNow = typeof secret === 'string' ? () => secret : secret;
  const received: ReceivedForward[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void (async () => {
        let parsed: { event?: string; id?: string } = {};
        try {
          parsed = JSON.parse(body);
        } catch {
          /* counted as unverified */
        }
        const standardVerified = await verifyWebhook(body, req.headers, secretNow()).then(
          () => true,
          (e: unknown) => (isWebhookVerificationError(e) ? false : Promise.reject(e)),
        );
        const seedExpected = createHmac('sha256', secretNow()).update(JSON.stringify(parsed)).digest('hex');
        const r = {
          headers: req.headers,
          body,
          event: parsed.event ?? '',
          id: parsed.id ?? '',
          standardVerified,
          seedVerified: req.headers['x-webhook-signature'] === seedExpected,
        };
        const status = respond ? respond(received.length + 1, r) : r.standardVerified && r.seedVerified ? 200 : 401;
        received.push({ ...r, status });
        res.writeHead(status).end(status < 300 ? 'OK' : 'nope');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    received,
    /** Requests that carried event `id`, in arrival order. */
    of: (id: string) => received.filter((r) => r.id === id),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

// Runs start-paygate.sh for real, as the composite action does: against the built pg-cli of this
// repository (npm run build), installed here as a workspace devDependency.
const HERE = join(import.meta.dirname, '..');
const SCRIPT = join(HERE, 'start-paygate.sh');
/** Polls made while waiting for the stopped gateway to close its port. */
const STOP_POLLS = 200;

/** The test's environment without anything that would point pg-cli dev at a real PostgreSQL or Redis. */
const cleanEnv = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('PAYGATE_') && !['DATABASE_URL', 'REDIS_URL', 'TEST_MODE', 'PORT', 'HOST', 'GITHUB_OUTPUT'].includes(k),
    ),
  );

async function listening(port = 0): Promise<Server> {
  // Connections are dropped at once, so that close() never waits on one.
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return server;
}

async function freePort(): Promise<number> {
  const server = await listening();
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function runScript(port: number, dir: string) {
  const files = { log: join(dir, 'paygate.log'), pid: join(dir, 'paygate.pid'), output: join(dir, 'github-output') };
  const run = promisify(execFile)('bash', [SCRIPT], {
    cwd: HERE,
    env: {
      ...cleanEnv(),
      PAYGATE_PORT: String(port),
      PAYGATE_FLAGS: '--data-dir memory',
      PAYGATE_READY_TIMEOUT: '30',
      PAYGATE_LOG: files.log,
      PAYGATE_PID_FILE: files.pid,
      GITHUB_OUTPUT: files.output,
    },
  });
  return { run, files };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('start-paygate.sh', () => {
  const started: number[] = [];
  afterAll(() => {
    for (const pid of started) if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
  });

  it('returns once /ready answers, outputs a URL that serves /health and the test routes, and its process group stops', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'paygate-ci-'));
    const { run, files } = runScript(port, dir);
    const { stdout } = await run;
    const pid = Number(readFileSync(files.pid, 'utf8'));
    started.push(pid);

    // Then it printed the base URL, and gave it to GitHub Actions as the `url` output
    const url = stdout.trim();
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(readFileSync(files.output, 'utf8')).toBe(`url=${url}\n`);
    // And the gateway was ready when it returned (no waiting here)
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    // And it is in test mode: the reset and the clock the workflow uses answer
    const reset = await fetch(`${url}/api/v1/test/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toMatchObject({ reset: true });
    const advanced = await fetch(`${url}/api/v1/test/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 3600 }),
    });
    expect(advanced.status).toBe(200);
    expect(await advanced.json()).toMatchObject({ offset_seconds: 3600 });

    // When its process group (the id it wrote) is sent SIGTERM, then the gateway stops and its port closes
    process.kill(-pid, 'SIGTERM');
    let closed = false;
    for (let i = 0; i < STOP_POLLS && !closed; i += 1) {
      closed = await fetch(`${url}/health`).then(
        () => false,
        () => true,
      );
      if (!closed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(closed).toBe(true);
    for (let i = 0; i < STOP_POLLS && isAlive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
  });

  it('fails with the gateway output when pg-cli dev cannot start (its port is taken)', async () => {
    const taken = await listening();
    try {
      const { port } = taken.address() as { port: number };
      const { run, files } = runScript(port, mkdtempSync(join(tmpdir(), 'paygate-ci-')));
      const failure = await run.then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain('pg-cli dev exited before it was ready');
      expect(readFileSync(files.output, { encoding: 'utf8', flag: 'a+' })).toBe('');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('the workflow and the action', () => {
  const workflow = parse(readFileSync(join(HERE, '.github', 'workflows', 'merchant-tests.yml'), 'utf8')) as {
    jobs: { test: { steps: { id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }[] } };
  };
  const action = parse(readFileSync(join(HERE, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: { id: string; run: string; env: Record<string, string> }[] };
  };
  const steps = workflow.jobs.test.steps;

  it('the workflow checks out, sets up Node 20, starts Paygate with the action, resets, and runs the tests against its URL', () => {
    expect(steps[0]!.uses).toMatch(/^actions\/checkout@/);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
    const start = steps.findIndex((s) => s.uses === './.github/actions/paygate');
    expect(steps[start]!.id).toBe('paygate');
    const reset = steps.findIndex((s) => s.run?.includes('/api/v1/test/reset'));
    const tests = steps.findIndex((s) => s.run === 'npm test');
    expect(start).toBeGreaterThan(0);
    expect(reset).toBeGreaterThan(start);
    expect(tests).toBeGreaterThan(reset);
    expect(steps[tests]!.env?.['PAYGATE_API_URL']).toBe('${{ steps.paygate.outputs.url }}');
  });

  it('the action takes port and flags, calls the one script, and outputs its url', () => {
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['port', 'flags']));
    expect(action.runs.using).toBe('composite');
    const [step] = action.runs.steps;
    expect(step!.run).toContain('start-paygate.sh');
    expect(step!.env).toMatchObject({ PAYGATE_PORT: '${{ inputs.port }}', PAYGATE_FLAGS: '${{ inputs.flags }}' });
    expect(action.outputs['url']!.value).toBe(`\${{ steps.${step!.id}.outputs.url }}`);
  });
});

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '@paygate/server';
import { ProcessGroup, freePort, hasBinary, startRedisServer } from '../../server/test/helpers/processes.js';
import { createTemporaryDatabase, serviceAvailable } from '../../server/test/helpers/services.js';
import { REPO_ROOT, copiesOf, envOf, execForm, healthcheckCommand, lastOf, readDockerfile, type Stage } from './deployment-files.js';

// The image's final stage, reproduced natively (no Docker engine here): the files its COPY lines
// take from the build stage (this repository after `npm run build`), then its own `npm ci`
// command, then pg-cli run the way the ENTRYPOINT runs it. If the production install lacks a
// package the server, worker or migrate needs at run time, this fails. Everything is read from
// the Dockerfile, so the test follows it when it changes.

const stages = readDockerfile();
const final = stages.at(-1)!;
const workdirOf = (stage: Stage) => lastOf(stage, 'WORKDIR')?.args ?? '/';
const root = mkdtempSync(join(tmpdir(), 'paygate-image-'));
const group = new ProcessGroup();
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await group.killAll();
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.warn('[image-install] cleanup failed', error));
  rmSync(root, { recursive: true, force: true });
});

/** A path inside the final stage's filesystem, as a path in the temporary root. */
function inRoot(path: string): string {
  return join(root, posix.isAbsolute(path) ? path : posix.join(workdirOf(final), path));
}

/** Docker's COPY: a directory's contents go to the destination; files go into it when it ends with '/' or there are several. */
function reproduceCopies(): void {
  for (const copy of copiesOf(final)) {
    const source = stages.find((s) => s.name === copy.from);
    if (!source) throw new Error(`COPY --from=${copy.from}: only copies from the build stage are reproduced here`);
    for (const from of copy.sources) {
      const local = join(REPO_ROOT, posix.relative(workdirOf(source), from));
      if (!existsSync(local)) throw new Error(`${local} is missing: run npm run build first (the build stage's output is this repository, built)`);
      const dest = inRoot(copy.dest);
      const target = statSync(local).isDirectory() ? dest : copy.dest.endsWith('/') || copy.sources.length > 1 ? join(dest, basename(local)) : dest;
      mkdirSync(dirname(target), { recursive: true });
      cpSync(local, target, { recursive: true });
    }
  }
}

/** The final stage's `npm ci …` (alone: the rest of that RUN line, `npm cache clean` included, is the image's business). */
function installArgs(): string[] {
  const run = final.instructions.find((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
  const npmCi = run?.args
    .split('&&')
    .map((part) => part.trim())
    .find((part) => part.startsWith('npm ci'));
  if (!npmCi) throw new Error('Dockerfile: no RUN npm ci in the final stage');
  return npmCi.split(/\s+/).slice(1);
}

/** The container's environment: the image's ENV mapped into the temporary root, nothing of this shell's Paygate settings. */
function containerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const outside = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(PAYGATE_|TEST_|WEBHOOK_RETRY|DATABASE_URL$|REDIS_URL$|PORT$|HOST$|npm_)/.test(k)),
  );
  const image = Object.fromEntries(
    Object.entries(envOf(final)).map(([k, v]) => [
      k,
      v
        .split(':')
        .map((part) => (part === '$PATH' ? process.env['PATH'] : part.startsWith(`${workdirOf(final)}/`) ? inRoot(part) : part))
        .join(':'),
    ]),
  );
  // Loopback only on a shared machine; the data folder the image makes in its RUN line.
  return { ...outside, ...image, PAYGATE_HOST: '127.0.0.1', PAYGATE_DATA_DIR: join(root, 'data'), LOG_LEVEL: 'warn', ...extra };
}

const entrypoint = execForm(lastOf(final, 'ENTRYPOINT')!.args);
const defaultCommand = execForm(lastOf(final, 'CMD')!.args);
/** Runs the entrypoint with `args`, found through the container's PATH as Docker finds it. */
const pgCli = (args: readonly string[], env: NodeJS.ProcessEnv) =>
  promisify(execFile)(entrypoint[0]!, [...entrypoint.slice(1), ...args], { env, cwd: inRoot('.'), timeout: 60_000 });

const postgresHere = await serviceAvailable('postgres');
const redisServerHere = hasBinary('redis-server');
if (postgresHere && !redisServerHere) {
  if (process.env['CI'] === 'true') throw new Error('redis-server is not on PATH, and CI=true forbids skipping the image install run (see .ci/run).');
  console.warn('\n[paygate] SKIPPED: image install — server and worker part: no redis-server binary on PATH to run a private Redis.\n');
}

describe("the image's final stage, installed natively", () => {
  it('installs with its own npm ci (no dev dependencies), then pg-cli answers --version and migrates', async () => {
    // Given the final stage's files
    reproduceCopies();
    expect(existsSync(inRoot('node_modules'))).toBe(false);

    // When its npm ci runs (from the npm cache when it can)
    await promisify(execFile)('npm', [...installArgs(), '--prefer-offline'], { cwd: inRoot('.'), timeout: 170_000 });

    // Then no dev dependency is there (vitest, dependency-cruiser, …) and pg-cli is on the image's PATH
    expect(existsSync(inRoot('node_modules/vitest'))).toBe(false);
    expect(existsSync(inRoot('node_modules/dependency-cruiser'))).toBe(false);
    const env = containerEnv({});
    const bin = env['PATH']!.split(':')
      .map((dir) => join(dir, entrypoint[0]!))
      .find((path) => existsSync(path));
    expect(bin && realpathSync(bin).startsWith(realpathSync(root))).toBe(true);
    expect((await pgCli(['--version'], env)).stdout).toMatch(/^pg-cli\/\d+\.\d+\.\d+ /);

    // And migrate brings a new database up to date (PostgreSQL when it is here, as in compose; else PGlite)
    let migrateEnv = env;
    if (postgresHere) {
      const database = await createTemporaryDatabase();
      cleanups.push(database.drop);
      migrateEnv = containerEnv({ DATABASE_URL: database.url });
    }
    const { applied } = JSON.parse((await pgCli(['migrate', '--json'], migrateEnv)).stdout) as { applied: string[] };
    expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
  }, 180_000);

  it.skipIf(!postgresHere || !redisServerHere)(
    'runs the default command (server) and a worker: the health check passes and a payment settles',
    async () => {
      // Given PostgreSQL, a private Redis, and the test mode the compose file shows commented out (no processing delay)
      const database = await createTemporaryDatabase();
      cleanups.push(database.drop);
      const redisPort = await freePort();
      await startRedisServer(group, redisPort);
      const port = await freePort();
      const env = containerEnv({
        DATABASE_URL: database.url,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PORT: String(port),
        TEST_MODE: 'true',
        TEST_PROCESSING_DELAY: '0',
      });

      // When the image's default command and a worker start from the production install
      await group.start('server', entrypoint[0]!, [...entrypoint.slice(1), ...defaultCommand], { env, ready: /API ready at/ });
      await group.start('worker', entrypoint[0]!, [...entrypoint.slice(1), 'worker'], { env, ready: /worker ready/ });

      // Then the image's HEALTHCHECK passes
      const [command, ...args] = healthcheckCommand(final);
      await expect(promisify(execFile)(command!, args, { env, timeout: 10_000 })).resolves.toBeDefined();

      // And a payment is settled by the worker (ioredis, pg: all installed)
      const headers = { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789', 'content-type': 'application/json' };
      const base = `http://127.0.0.1:${port}/api/v1`;
      const order = (await (await fetch(`${base}/orders`, { method: 'POST', headers, body: JSON.stringify({ amount: 50000, currency: 'INR' }) })).json()) as {
        id: string;
      };
      const created = await fetch(`${base}/payments`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ order_id: order.id, method: 'upi', vpa: 'success@paygate' }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      await expect
        .poll(async () => ((await (await fetch(`${base}/payments/${id}`, { headers })).json()) as { status: string }).status, {
          timeout: 30_000,
          interval: 100,
        })
        .toBe('success');

      // And the shoppers' files are there: checkout.js from @paygate/sdk-web and the hosted page
      const script = await fetch(`http://127.0.0.1:${port}/checkout.js`);
      expect(script.status).toBe(200);
      expect(await script.text()).toContain('PaymentGateway');
      const page = await fetch(`http://127.0.0.1:${port}/checkout?order_id=${order.id}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`<pay-checkout order-id="${order.id}"`);
    },
    90_000,
  );
});

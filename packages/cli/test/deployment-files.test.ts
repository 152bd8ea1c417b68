import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '@oclif/core';
import { loadConfig, startGateway } from '@paygate/server';
import { freePort } from '../../server/test/helpers/processes.js';
import {
  CLI_ROOT,
  REPO_ROOT,
  commentedEnv,
  configEnv,
  documentedEnv,
  envOf,
  execForm,
  healthcheckCommand,
  lastOf,
  readCompose,
  readDockerfile,
  resolveCommand,
  loadCli,
  type ComposeService,
} from './deployment-files.js';

// The Dockerfile and docker-compose.yml are only run where a Docker engine is. These checks hold
// them to the code without one: every pg-cli command, flag, variable, port and route they name
// must exist, so that a rename in the CLI or the config breaks here and not in a deployment.

const stages = readDockerfile();
const final = stages.at(-1)!;
const imageEnv = envOf(final);
const compose = readCompose();
const composeText = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
let cli: Config;
beforeAll(async () => {
  cli = await loadCli();
});

/** Services that run the image the Dockerfile builds (the others run postgres and redis). */
const paygateServices = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

/** What a container of the image runs: ENTRYPOINT, then the service's command or the image's CMD. */
function containerArgv(service?: ComposeService): { entrypoint: string[]; args: string[] } {
  const entrypoint = execForm(lastOf(final, 'ENTRYPOINT')!.args);
  return { entrypoint, args: service?.command ?? execForm(lastOf(final, 'CMD')!.args) };
}

/** The process environment of a service's container: the image's ENV, then the service's environment. */
function containerEnv(service: ComposeService): Record<string, string> {
  return { ...imageEnv, ...service.environment };
}

describe('Dockerfile', () => {
  it('builds in one stage and runs from node:20 in another, as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(final.from).toMatch(/^node:20(\.\d+)*-slim$/);
    const user = lastOf(final, 'USER')?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('enters through the pg-cli bin, found on the PATH it sets, and runs the server by default', () => {
    const { entrypoint, args } = containerArgv();
    const bins = (JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
    expect(Object.keys(bins)).toContain(entrypoint[0]);
    expect(imageEnv['PATH']?.split(':')).toContain(`${lastOf(final, 'WORKDIR')!.args}/node_modules/.bin`);
    expect(resolveCommand(cli, args)).toMatchObject({ id: 'server', problems: [] });
  });

  it('installs production dependencies only, in the final stage', () => {
    const install = final.instructions.find((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(install?.args).toMatch(/npm ci\b[^&]*--omit=dev/);
    // --ignore-scripts is safe only while no runtime dependency needs an install script.
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean; dev?: boolean }>;
    };
    const runtimeWithScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript && !p.dev);
    expect(runtimeWithScripts.map(([name]) => name)).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  it('runs migrate once, then api and worker after it and after healthy PostgreSQL and Redis', () => {
    const { migrate, api, worker, postgres, redis } = compose.services;
    expect(postgres?.image).toMatch(/^postgres:15/);
    expect(redis?.image).toMatch(/^redis:7/);
    expect(resolveCommand(cli, containerArgv(migrate).args)).toMatchObject({ id: 'migrate', problems: [] });
    expect(migrate?.restart).toBe('no');
    expect(migrate?.depends_on?.['postgres']?.condition).toBe('service_healthy');
    for (const service of [api, worker]) {
      expect(service?.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(resolveCommand(cli, containerArgv(api).args)).toMatchObject({ id: 'server', problems: [] });
    expect(resolveCommand(cli, containerArgv(worker).args)).toMatchObject({ id: 'worker', problems: [] });
    expect(worker?.deploy?.replicas).toBe(2);
  });

  it('uses only real pg-cli commands and flags, in its services and in the commands its comments and the README give', () => {
    const given = [
      ...composeText.matchAll(/docker compose run --rm (\S+) ([^\n`]+)/g),
      ...readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/docker compose run --rm (\S+) ([^\n`]+)/g),
    ];
    expect(given.length).toBeGreaterThan(0);
    const argvs = [
      ...paygateServices.map(([, s]) => containerArgv(s).args),
      ...given.map(([, service, args]) => {
        expect(paygateServices.map(([name]) => name)).toContain(service);
        return args!.trim().split(/\s+/);
      }),
    ];
    for (const argv of argvs) expect(resolveCommand(cli, argv).problems).toEqual([]);
  });

  it('sets only variables config.ts reads and .env.example documents, the commented-out ones included', () => {
    const read = configEnv();
    const documented = documentedEnv();
    const set = new Set([
      ...Object.keys(imageEnv).filter((name) => name !== 'PATH'),
      ...paygateServices.flatMap(([, s]) => Object.keys(s.environment ?? {})),
      ...Object.keys(commentedEnv()),
    ]);
    expect(set.size).toBeGreaterThan(5);
    for (const name of set) {
      expect(read.has(name), `${name} is not read by config.ts`).toBe(true);
      expect(documented.has(name), `${name} is not in .env.example`).toBe(true);
    }
  });

  it('is a valid production configuration as written, and a valid test-mode one with the test-mode lines uncommented', () => {
    const env = containerEnv(compose.services['api']!);
    const production = loadConfig({}, env);
    expect(production).toMatchObject({ environment: 'production', testMode: false, seedTestMerchant: false });
    // startGateway refuses a production API process without it
    expect(production.idempotencyFingerprintKey).toEqual(expect.any(String));
    const testMode = loadConfig({}, { ...env, ...commentedEnv() });
    expect(testMode).toMatchObject({ environment: 'development', testMode: true, seedTestMerchant: true, webhookRetryIntervalsTest: true });
  });

  it('publishes the port the API listens on, on 127.0.0.1, and the API listens on every interface of its container', () => {
    const api = compose.services['api']!;
    const [hostIp, hostPort, containerPort] = api.ports?.[0]?.split(':') ?? [];
    expect([hostIp, hostPort]).toEqual(['127.0.0.1', '8000']);
    const { flags } = resolveCommand(cli, containerArgv(api).args);
    const portFlag = cli.findCommand('server')!.flags['port']!;
    const env = containerEnv(api);
    const config = loadConfig({ port: Number(flags['port'] ?? env[portFlag.env!] ?? portFlag.default) }, env);
    expect(String(config.port)).toBe(containerPort);
    expect(lastOf(final, 'EXPOSE')?.args.split(/\s+/)).toContain(containerPort);
    expect(flags['host'] ?? config.host).toBe('0.0.0.0');
  });

  it('gives running requests and jobs their shutdown grace before Docker kills a container', () => {
    for (const [name, service] of paygateServices.filter(([n]) => n !== 'migrate')) {
      const grace = loadConfig({}, containerEnv(service)).shutdownGraceMs;
      const [, amount, unit] = /^(\d+)(s|ms)$/.exec(service.stop_grace_period ?? '') ?? [];
      expect(Number(amount) * (unit === 's' ? 1000 : 1), `${name} stop_grace_period`).toBeGreaterThan(grace);
    }
  });

  it("disables the image's HTTP health check where no HTTP server runs (worker, migrate)", () => {
    expect(compose.services['worker']?.healthcheck?.disable).toBe(true);
    expect(compose.services['migrate']?.healthcheck?.disable).toBe(true);
    expect(compose.services['api']?.healthcheck).toBeUndefined();
  });
});

describe('the HEALTHCHECK command', () => {
  it('passes against a production API process on PORT, and fails when nothing answers there', async () => {
    // Given the API as the compose file configures it (embedded database here, loopback only)
    const port = await freePort();
    const env = containerEnv(compose.services['api']!);
    // A fresh in-memory database and no migrate service here: this process migrates it itself.
    const config = loadConfig(
      { dataDir: 'memory', logLevel: 'silent', host: '127.0.0.1', port, migrateOnStart: true },
      { ...env, DATABASE_URL: '', REDIS_URL: '' },
    );
    const [command, ...args] = healthcheckCommand(final);
    const check = () =>
      promisify(execFile)(command === 'node' ? process.execPath : command!, args, { env: { ...process.env, PORT: String(port) }, timeout: 10_000 }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    const gateway = await startGateway(config, { role: 'api' });
    try {
      // When the image's health check runs, then it passes
      expect(await check()).toBe(0);
    } finally {
      await gateway.stop();
    }
    // And once the API is gone, it fails
    expect(await check()).toBe(1);
  });
});

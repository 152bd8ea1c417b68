import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { REPO_ROOT, readCompose } from './deployment-files.js';

// docker-compose.yml checked by a real Compose implementation, where no Docker engine runs:
// Debian's docker-compose (v1.29, `apt-get install docker-compose`; .ci/run installs it)
// validates the file against the Compose schema and resolves anchors and merge keys without
// talking to an engine.

const COMPOSE = 'docker-compose';
const here = spawnSync(COMPOSE, ['version'], { stdio: 'ignore' }).status === 0;
if (!here) {
  if (process.env['CI'] === 'true') throw new Error(`${COMPOSE} is not on PATH, and CI=true forbids skipping the compose validation (see .ci/run).`);
  console.warn(`\n[paygate] SKIPPED: compose validation — no ${COMPOSE} binary on PATH (apt-get install -y docker-compose).\n`);
}

const compose = (file: string, ...args: string[]) =>
  promisify(execFile)(COMPOSE, ['-f', file, ...args], { cwd: REPO_ROOT, timeout: 30_000 }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe.skipIf(!here)('docker-compose.yml with a real Compose implementation', () => {
  it('validates (docker-compose config -q), and defines the five services', async () => {
    const file = join(REPO_ROOT, 'docker-compose.yml');
    expect(await compose(file, 'config', '-q')).toMatchObject({ code: 0 });
    const services = (await compose(file, 'config', '--services')).stdout.trim().split('\n').sort();
    expect(services).toEqual(['api', 'migrate', 'postgres', 'redis', 'worker']);
  });

  it('refuses a broken copy (a misspelt depends_on condition): the check can fail', async () => {
    const broken = readCompose();
    broken.services['api']!.depends_on!['migrate'] = { condition: 'service_completed' };
    for (const service of Object.values(broken.services)) if (service.build !== undefined) service.build = REPO_ROOT;
    const file = join(mkdtempSync(join(tmpdir(), 'paygate-compose-')), 'docker-compose.yml');
    writeFileSync(file, stringify(broken));
    const result = await compose(file, 'config', '-q');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/condition/);
  });
});

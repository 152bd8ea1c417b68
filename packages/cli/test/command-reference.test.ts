import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..');
const OCLIF = join(CLI, '..', '..', 'node_modules', 'oclif', 'bin', 'run.js');

describe("packages/cli/README.md's command reference", () => {
  it('is what `npm run readme -w pg-cli` generates from the built commands (run it after changing a command)', async () => {
    // The same flags as the package's "readme" script, printing instead of writing.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [OCLIF, 'readme', '--dry-run', '--no-aliases', '--no-source-links', '--readme-path', 'README.md'],
      {
        cwd: CLI,
        env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' }, // oclif's dev tool would look for its own updates
      },
    );
    const generated = stdout.replace(/^replacing <!-- commands --> in .*\n/, '').trimEnd();
    expect(generated).toContain('## `pg-cli orders create`');
    expect(readFileSync(join(CLI, 'README.md'), 'utf8').trimEnd()).toBe(generated);
  });
});

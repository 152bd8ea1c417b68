import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'run.js');

/**
 * Runs the built pg-cli with `args` and returns every file its main thread loaded: the ESM imports
 * through a resolve hook, the CommonJS ones from require's cache when it exits.
 */
async function filesLoadedBy(args: string[]): Promise<{ files: string[]; exitCode: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'pg-cli-loads-'));
  try {
    const loads = join(dir, 'loads.txt');
    await writeFile(
      join(dir, 'hook.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(${JSON.stringify(loads)}, r.url + '\\n'); return r; }`,
    );
    await writeFile(
      join(dir, 'record.mjs'),
      `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(${JSON.stringify(loads)}, Object.keys(require.cache).join('\\n') + '\\n'));`,
    );
    const exitCode = await new Promise<number>((resolve) => {
      execFile(process.execPath, ['--import', pathToFileURL(join(dir, 'record.mjs')).href, BIN, ...args], (error) => resolve(error ? Number(error.code) : 0));
    });
    return { files: (await readFile(loads, 'utf8')).split('\n').filter(Boolean), exitCode };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('what a client command loads', () => {
  it('loads neither zod nor tRPC: commands that talk to a gateway over REST start without them', async () => {
    // A gateway that is not there: the command loads all it needs, then fails to connect (exit 6).
    const { files, exitCode } = await filesLoadedBy(['orders', 'list', '--json', '--api-url', 'http://127.0.0.1:9']);

    expect(exitCode).toBe(6);
    expect(files.some((file) => file.includes('/packages/client/') || file.includes('/node_modules/@paygate/client/'))).toBe(true); // the record works
    expect(files.filter((file) => /\/node_modules\/(zod|@trpc\/[^/]+)\//.test(file))).toEqual([]);
  });
});

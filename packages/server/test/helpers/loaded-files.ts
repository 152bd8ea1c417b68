import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs `node <args>` and returns every file its main thread loaded, to hold start-up paths to
 * what they need: the ES modules through a resolve hook, the CommonJS ones from require's cache
 * as the process exits. A failing exit is returned, not thrown.
 */
export async function filesLoadedBy(args: string[]): Promise<{ files: string[]; exitCode: number; stdout: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'paygate-loads-'));
  try {
    const loads = path.join(dir, 'loads.txt');
    await writeFile(
      path.join(dir, 'hook.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(${JSON.stringify(loads)}, r.url + '\\n'); return r; }`,
    );
    await writeFile(
      path.join(dir, 'record.mjs'),
      // Workers inherit --import: they record nothing (their modules are not the main thread's).
      `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
if (isMainThread) {
  register(${JSON.stringify(pathToFileURL(path.join(dir, 'hook.mjs')).href)});
  const require = createRequire(import.meta.url);
  process.on('exit', () => appendFileSync(${JSON.stringify(loads)}, Object.keys(require.cache).join('\\n') + '\\n'));
}`,
    );
    const { exitCode, stdout } = await new Promise<{ exitCode: number; stdout: string }>((resolve) => {
      execFile(process.execPath, ['--import', pathToFileURL(path.join(dir, 'record.mjs')).href, ...args], { cwd: dir }, (error, out) =>
        resolve({ exitCode: error ? Number(error.code) : 0, stdout: out }),
      );
    });
    return { files: (await readFile(loads, 'utf8')).split('\n').filter(Boolean), exitCode, stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

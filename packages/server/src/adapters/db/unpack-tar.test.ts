import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unpackTar } from './unpack-tar.js';

describe('unpackTar', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const newDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paygate-untar-'));
    dirs.push(dir);
    return dir;
  };
  /** A ustar archive of `files` (path → content), made by the system's tar. */
  const archiveOf = async (files: Record<string, string>) => {
    const from = await newDir();
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(from, name)), { recursive: true });
      await writeFile(path.join(from, name), content);
    }
    return execFileSync('tar', ['--format=ustar', '-cf', '-', '-C', from, '.']);
  };

  it('writes every file and folder with its content', async () => {
    const tar = await archiveOf({ PG_VERSION: '17\n', 'base/1/1249': 'catalog', 'global/pg_control': 'control' });
    const into = await newDir();

    unpackTar(tar, into, { last: 'PG_VERSION' });

    expect(readFileSync(path.join(into, 'PG_VERSION'), 'utf8')).toBe('17\n');
    expect(readFileSync(path.join(into, 'base/1/1249'), 'utf8')).toBe('catalog');
    expect(readFileSync(path.join(into, 'global/pg_control'), 'utf8')).toBe('control');
  });

  it('refuses an archive cut short, and has not written the entry kept for last', async () => {
    // Given an archive whose end is missing (a big file after the marker)
    const tar = await archiveOf({ PG_VERSION: '17\n', 'base/big': 'x'.repeat(10_000) });
    const into = await newDir();

    // When it is unpacked, then it fails, and the marker that says "a whole cluster" is not there
    expect(() => unpackTar(tar.subarray(0, 4_096), into, { last: 'PG_VERSION' })).toThrow(/cut short/);
    expect(existsSync(path.join(into, 'PG_VERSION'))).toBe(false);
  });

  it('refuses an entry that would land outside the folder', async () => {
    // Given an archive holding ../outside.txt (names relative to a subfolder)
    const from = await newDir();
    await mkdir(path.join(from, 'in'));
    await writeFile(path.join(from, 'outside.txt'), 'nope');
    const tar = execFileSync('tar', ['--format=ustar', '-P', '-cf', '-', '-C', path.join(from, 'in'), '../outside.txt']); // -P keeps the ../;
    const parent = await newDir();
    const into = path.join(parent, 'into');
    await mkdir(into);

    // Then unpacking it fails and writes nothing beside the folder
    expect(() => unpackTar(tar, into)).toThrow(/outside/);
    expect(existsSync(path.join(parent, 'outside.txt'))).toBe(false);
  });
});

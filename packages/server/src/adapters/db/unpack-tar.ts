import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const BLOCK = 512;

/** A NUL-terminated field of a tar header. */
function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

const octal = (header: Buffer, offset: number, length: number) => parseInt(field(header, offset, length).trim() || '0', 8);

/**
 * Writes the regular files and folders of a ustar archive (the clusters PGlite's `dumpDataDir`
 * packs: no links, no long names) into `into`. An entry that would land outside `into`, or of a
 * type it does not know, fails the whole unpacking: the archive is not what it should be.
 *
 * @param options.last  an entry written after all the others (PG_VERSION: a data dir holds a
 *   cluster once it exists, so an unpacking cut short is not mistaken for a whole one).
 */
export function unpackTar(tar: Buffer, into: string, options: { last?: string } = {}): void {
  const root = path.resolve(into);
  let held: { target: string; data: Buffer; mode: number } | undefined;
  for (let at = 0; at + BLOCK <= tar.length;) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break; // the end-of-archive blocks
    const name = field(header, 0, 100);
    const size = octal(header, 124, 12);
    const mode = octal(header, 100, 8) & 0o777;
    const type = String.fromCharCode(header[156]!);
    const target = path.resolve(root, `.${path.posix.sep}${name}`);
    if (target !== root && !target.startsWith(root + path.sep)) throw new Error(`tar entry ${JSON.stringify(name)} lies outside ${root}`);
    if (at + BLOCK + size > tar.length) throw new Error(`tar entry ${JSON.stringify(name)} is cut short: the archive is truncated`);
    const data = tar.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === '5') {
      mkdirSync(target, { recursive: true, mode: mode || 0o700 });
    } else if (type === '0' || type === '\0') {
      if (options.last && path.relative(root, target) === options.last) {
        held = { target, data, mode };
        continue;
      }
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, data, { mode: mode || 0o600 });
    } else {
      throw new Error(`tar entry ${JSON.stringify(name)} has type ${JSON.stringify(type)}; only files and folders are unpacked`);
    }
  }
  if (held) writeFileSync(held.target, held.data, { mode: held.mode || 0o600 });
}

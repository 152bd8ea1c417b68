import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** What a merchant's backend must not receive by installing @paygate/client (the server's stack). */
const FORBIDDEN = ['knex', '@electric-sql/pglite', 'knex-pglite', 'bee-queue', 'ioredis', 'redis', 'pg', 'fastify', '@paygate/server', '@paygate/core'];

type LockEntry = {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  link?: boolean;
  resolved?: string;
};
const root = resolve(import.meta.dirname, '../../..');
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

/** Where Node finds `name` from the package at `from` (a lockfile key): its own node_modules, then each parent's. */
function locate(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
    const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (!dir.includes('node_modules') && dir !== '') return locate(name, ''); // a workspace: then the root
    if (dir === '') return undefined;
  }
}

/** Every package installed for production use of the package at `start`: dependencies, optional ones and required peers. */
function productionClosure(start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    const entry = lock.packages[key];
    if (!entry) throw new Error(`${key} is not in package-lock.json`);
    const real = entry.link && entry.resolved ? entry.resolved : key;
    const pkg = lock.packages[real]!;
    const requiredPeers = Object.keys(pkg.peerDependencies ?? {}).filter((n) => !pkg.peerDependenciesMeta?.[n]?.optional);
    for (const name of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}), ...requiredPeers]) {
      if (seen.has(name)) continue;
      seen.add(name);
      const found = locate(name, real);
      if (found) visit(found);
    }
  };
  visit(start);
  return seen;
}

describe('@paygate/client installs without the server', () => {
  it('declares only tRPC as dependencies', () => {
    const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@trpc/client', '@trpc/server']);
  });

  it("its production dependency closure (package-lock.json) holds none of the server's stack", () => {
    const closure = productionClosure('packages/client');
    expect(closure.has('@trpc/client')).toBe(true); // the walk works
    expect([...closure].filter((name) => FORBIDDEN.includes(name))).toEqual([]);
    // And the same walk does find them from the server, so the check can fail.
    expect([...productionClosure('packages/server')]).toEqual(expect.arrayContaining(['knex', '@electric-sql/pglite', 'ioredis', 'pg', 'fastify']));
  });
});

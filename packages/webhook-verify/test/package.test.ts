// What npm would publish, and whether it works the ways merchants load it: ESM import, CJS
// require, and TypeScript under NodeNext for both, without DOM or Node type libraries.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { coreVectors, vectorHeaders } from './helpers/vectors.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

interface PackResult {
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

let pack: PackResult;

beforeAll(() => {
  // --dry-run still runs `prepack` (a clean build), so this checks what a publish would ship.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const stdout = execFileSync(npm, ['pack', '--dry-run', '--json'], { cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  pack = (JSON.parse(stdout) as PackResult[])[0]!;
}, 120_000);

describe('npm pack', () => {
  it('ships only the builds, README, LICENSE and package.json', () => {
    const paths = pack.files.map((file) => file.path);
    const allowed = /^(README\.md|LICENSE|package\.json|dist\/cjs\/package\.json|dist\/(esm|cjs)\/[\w/-]+\.(js|d\.ts))$/;
    expect(paths.filter((path) => !allowed.test(path))).toEqual([]);
    expect(paths.filter((path) => /\.test|\.map$|^src\/|^test\/|tsbuildinfo|tsconfig|vitest/.test(path))).toEqual([]);
    for (const entry of ['index', 'testing', 'node']) {
      for (const format of ['esm', 'cjs']) {
        expect(paths).toContain(`dist/${format}/${entry}.js`);
        expect(paths).toContain(`dist/${format}/${entry}.d.ts`);
      }
    }
    expect(paths).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/cjs/package.json']));
  });

  it('has zero runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['dependencies']).toBeUndefined();
    expect(manifest['peerDependencies']).toBeUndefined();
    expect(manifest['optionalDependencies']).toBeUndefined();
  });

  it('stays small: the tarball under 40 kB, the ESM main entry (unminified, with its JSDoc) under 14 kB gzipped', () => {
    const esmMain = esmGraph('index.js');
    const gzip = gzipSync(Buffer.concat(esmMain.map((file) => readFileSync(join(packageDir, 'dist/esm', file))))).length;
    console.info(`[webhook-verify] tarball ${pack.size} B, unpacked ${pack.unpackedSize} B, ESM main entry (${esmMain.length} files) ${gzip} B gzip`);
    expect(pack.size).toBeLessThan(40_000);
    expect(gzip).toBeLessThan(14_000);
  });

  it('keeps node: modules out of everything but the node entry, so browsers and edge can load it', () => {
    const browserSafe = [...new Set([...esmGraph('index.js'), ...esmGraph('testing.js')])];
    expect(browserSafe).not.toContain('node.js');
    for (const file of browserSafe) {
      // Comments may mention Buffer or process.env in examples; only code counts.
      const code = readFileSync(join(packageDir, 'dist/esm', file), 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
      expect(code, file).not.toMatch(/from ['"]node:|require\(|\bBuffer\.|\bprocess\./);
    }
  });
});

describe('the built entries', () => {
  const vector = coreVectors().standardWebhooks[0]!;
  const args = [vector.body, vectorHeaders(vector), vector.secret, { now: vector.timestamp * 1000 }] as const;

  it('load with require() and import, with the same exports, and verify a vector', async () => {
    const cjs = require(join(packageDir, 'dist/cjs/index.js')) as typeof import('../src/index.js');
    const esm = (await import(pathToFileURL(join(packageDir, 'dist/esm/index.js')).href)) as typeof import('../src/index.js');
    expect(
      Object.keys(cjs)
        .filter((key) => key !== '__esModule')
        .sort(),
    ).toEqual(Object.keys(esm).sort());
    expect((await cjs.verifyWebhook(...args)).id).toBe(vector.id);
    expect((await esm.verifyWebhook(...args)).id).toBe(vector.id);
    // Two copies, two classes: instanceof fails across them, the guard does not.
    const fromCjs = new cjs.WebhookVerificationError('missing_header');
    expect(fromCjs instanceof esm.WebhookVerificationError).toBe(false);
    expect(esm.isWebhookVerificationError(fromCjs)).toBe(true);
    expect(esm.isWebhookVerificationError(new Error('missing_header'))).toBe(false);
  });

  it('resolve every subpath through the package exports, in a plain Node process, both ways', () => {
    // A child process, because the test runner resolves with the @paygate/source condition.
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const [body, headers, secret, options] = JSON.parse(process.argv[1]);
      const results = {
        esm: (await (await import('@paygate/webhook-verify')).verifyWebhook(body, headers, secret, options)).id,
        cjs: (await require('@paygate/webhook-verify').verifyWebhook(body, headers, secret, options)).id,
        esmNode: (await import('@paygate/webhook-verify/node')).verifyWebhookSync(body, headers, secret, options).id,
        cjsNode: require('@paygate/webhook-verify/node').verifyWebhookSync(body, headers, secret, options).id,
        esmTesting: (await import('@paygate/webhook-verify/testing')).createTestEvent('payment.created').event,
        cjsTesting: require('@paygate/webhook-verify/testing').createTestEvent('payment.created').event,
        resolved: [require.resolve('@paygate/webhook-verify'), import.meta.resolve('@paygate/webhook-verify')],
      };
      console.log(JSON.stringify(results));
    `;
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(args)], {
      cwd: packageDir,
      encoding: 'utf8',
      env,
    });
    const results = JSON.parse(stdout) as Record<string, unknown>;
    expect(results).toEqual({
      esm: vector.id,
      cjs: vector.id,
      esmNode: vector.id,
      cjsNode: vector.id,
      esmTesting: 'payment.created',
      cjsTesting: 'payment.created',
      resolved: [join(packageDir, 'dist/cjs/index.js'), pathToFileURL(join(packageDir, 'dist/esm/index.js')).href],
    });
  });

  it('type-check for ESM and CJS consumers that have neither the DOM nor @types/node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-verify-consumer-'));
    try {
      mkdirSync(join(dir, 'node_modules/@paygate'), { recursive: true });
      symlinkSync(packageDir, join(dir, 'node_modules/@paygate/webhook-verify'), 'dir');
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            lib: ['ES2022'],
            types: [],
            strict: true,
            noEmit: true,
            skipLibCheck: false,
          },
          files: ['esm.mts', 'cjs.cts'],
        }),
      );
      writeFileSync(
        join(dir, 'esm.mts'),
        [
          "import { verifyWebhook, WebhookVerificationError, type PaygateWebhookEvent } from '@paygate/webhook-verify';",
          "import { createSignedRequest, createTestEvent } from '@paygate/webhook-verify/testing';",
          "const request = await createSignedRequest({ secret: 'whsec_test_abc123', event: createTestEvent('payment.success') });",
          "const event: PaygateWebhookEvent = await verifyWebhook(request.body, request.headers, 'whsec_test_abc123');",
          "if (event.event === 'refund.processed') event.data.refund.amount.toFixed();",
          "export const reason: string = new WebhookVerificationError('missing_header').reason;",
          '// @ts-expect-error: a number is not a raw body',
          "await verifyWebhook(42, {}, 'whsec_x');",
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'cjs.cts'),
        [
          "import verify = require('@paygate/webhook-verify');",
          "import node = require('@paygate/webhook-verify/node');",
          "const event: verify.PaygateWebhookEvent = node.verifyWebhookSync('{}', {}, 'whsec_x');",
          'export const name: string = event.event;',
          "export const later: Promise<verify.PaygateWebhookEvent> = verify.verifyWebhook('{}', {}, ['whsec_a', 'whsec_b']);",
        ].join('\n'),
      );
      const tsc = require.resolve('typescript/bin/tsc');
      let output = '';
      try {
        execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? error);
      }
      expect(output).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** The files an ESM entry pulls in, following relative imports. */
function esmGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(join(packageDir, 'dist/esm', file), 'utf8');
    for (const [, specifier] of source.matchAll(/from ['"](\.[^'"]+)['"]/g)) {
      visit(join(file, '..', specifier!).replace(/\\/g, '/'));
    }
  };
  visit(entry);
  return [...seen];
}

// Builds the two browser files with vite: dist/sdk-web.js (ES module, for bundlers and
// <script type="module">) and dist/checkout.js (one classic script for a <script> tag, the seed's
// checkout.js). Both carry Lit and the few pure functions of @paygate/core they use, minified.
// Prints checkout.js's size; the target is under 25 kB gzip (a test fails past 40 kB).
import { rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'vite';
import { checkoutBundleSize, CHECKOUT_GZIP_TARGET_BYTES } from './bundle-size.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist');
for (const file of ['sdk-web.js', 'checkout.js']) rmSync(join(outDir, file), { force: true });

/** @param {{ entry: string, format: 'es' | 'iife', fileName: string }} bundle */
async function bundle({ entry, format, fileName }) {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    // Our packages from source: the build needs no prior tsc output (STACK.md, export conditions).
    resolve: { conditions: ['@paygate/source', 'browser', 'import', 'default'] },
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2021',
      sourcemap: false,
      reportCompressedSize: false,
      minify: true,
      lib: { entry: join(root, entry), formats: [format], name: 'PaygateCheckout', fileName: () => fileName },
      // Lib-mode ES output is not minified unless the rolldown output says so (STACK.md).
      rolldownOptions: { output: { minify: true } },
    },
  });
}

await bundle({ entry: 'src/index.ts', format: 'es', fileName: 'sdk-web.js' });
await bundle({ entry: 'src/checkout.ts', format: 'iife', fileName: 'checkout.js' });

const size = checkoutBundleSize(join(outDir, 'checkout.js'));
const kB = (n) => `${(n / 1024).toFixed(1)} kB`;
const verdict = size.gzip <= CHECKOUT_GZIP_TARGET_BYTES ? 'within' : 'OVER';
console.log(
  `@paygate/sdk-web: checkout.js ${kB(size.raw)}, gzip ${kB(size.gzip)} (${verdict} the ${kB(CHECKOUT_GZIP_TARGET_BYTES)} target); ` +
    `sdk-web.js ${kB(statSync(join(outDir, 'sdk-web.js')).size)}`,
);

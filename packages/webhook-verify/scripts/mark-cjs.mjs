// Marks dist/cjs as CommonJS: the package itself is "type": "module", so without this Node
// would load dist/cjs/*.js as ES modules and require() would fail.
import { mkdirSync, writeFileSync } from 'node:fs';

const dir = new URL('../dist/cjs/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('package.json', dir), '{ "type": "commonjs" }\n');

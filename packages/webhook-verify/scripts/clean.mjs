// Removes build output; the ESM build's tsbuildinfo lives in dist, so tsc -b rebuilds fully next time.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

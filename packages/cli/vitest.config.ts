import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@paygate/source'] } },
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    disableConsoleIntercept: true,
    testTimeout: 60_000,
    // Hooks start and stop whole gateways (PGlite, a data dir, child processes): on a loaded 2-core
    // machine that took 16 s, past vitest's 10 s default.
    hookTimeout: 60_000,
  },
});

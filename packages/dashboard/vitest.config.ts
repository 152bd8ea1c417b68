import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@paygate/source'] } },
  test: {
    name: 'dashboard',
    include: ['test/**/*.test.ts'],
    // One gateway and one browser for the whole file; each step waits for what it needs.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    disableConsoleIntercept: true,
  },
});

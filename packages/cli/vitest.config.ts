import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@paygate/source'] } },
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    disableConsoleIntercept: true,
    testTimeout: 60_000,
  },
});

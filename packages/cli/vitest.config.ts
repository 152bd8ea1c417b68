import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@paygate/source'] } },
  test: { name: 'cli', include: ['test/**/*.test.ts', 'src/**/*.test.ts'], testTimeout: 60_000 },
});

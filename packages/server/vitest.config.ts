import { defineProject } from 'vitest/config';

export default defineProject({
  // Sibling packages resolve to their TypeScript source in tests (see STACK.md).
  ssr: { resolve: { conditions: ['@paygate/source'] } },
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.mjs'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

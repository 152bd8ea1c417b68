import { defineConfig } from 'vitest/config';

// Each package (and example) is its own vitest project with its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*'],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/index.ts'],
    },
  },
});

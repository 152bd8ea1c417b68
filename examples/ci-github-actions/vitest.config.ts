import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'example-ci-github-actions', include: ['test/**/*.test.ts'], testTimeout: 120_000 },
});

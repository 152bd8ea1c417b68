import { defineProject } from 'vitest/config';

export default defineProject({
  // Sibling packages resolve to their TypeScript source in tests (see STACK.md).
  ssr: { resolve: { conditions: ['@paygate/source'] } },
  resolve: { conditions: ['@paygate/source'] },
  test: {
    name: 'sdk-web',
    // Component tests pick happy-dom per file (`@vitest-environment happy-dom`); browser tests
    // run in Node and drive Chromium against a real gateway.
    environment: 'node',
  },
});

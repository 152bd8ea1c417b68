import { defineProject } from 'vitest/config';

export default defineProject({
  // Sibling packages resolve to their TypeScript source in tests (see STACK.md).
  ssr: { resolve: { conditions: ['@paygate/source'] } },
  test: {
    name: 'webhook-verify',
    // *.test-d.ts files hold type assertions (expectTypeOf), checked with tsc.
    typecheck: { enabled: true, tsconfig: './tsconfig.tests.json' },
  },
});

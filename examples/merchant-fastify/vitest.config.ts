import { defineProject } from 'vitest/config';

export default defineProject({
  // Sibling packages resolve to their TypeScript source in tests (see STACK.md).
  ssr: { resolve: { conditions: ['@paygate/source'] } },
  test: { name: 'example-merchant-fastify' },
});

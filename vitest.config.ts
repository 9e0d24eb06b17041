import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'conformance/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
    // The machines are shared 2-core boxes: keep timeouts generous, never assert on timing here.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real HTTP listeners and gateway sockets on port 0; files run in parallel forks.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});

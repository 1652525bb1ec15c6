import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts one private redis-server on a free port for the whole run (never the machine's 6379).
    globalSetup: ['test/support/global-redis.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration and e2e files each start servers on free ports; two workers keep the 2-core machine responsive.
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the built app in Chromium against real coordinator and worker
// processes. Apart from `npm test` (it needs the build and Chromium, and takes minutes).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});

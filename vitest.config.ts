import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'src/**/*.test.tsx', 'cli/**/*.test.ts', 'workers/**/*.test.ts', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Native addons (onnxruntime-node, better-sqlite3) are safest in child processes.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{app,base,engine,vm,renderer,tools,e2e}/**/*.test.{ts,tsx}'],
          exclude: ['**/*.integration.test.ts', 'node_modules/**', 'dist/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{app,engine}/**/*.integration.test.ts'],
          // One private dockerd for the whole run; tests share it and clean up after themselves.
          globalSetup: ['engine/testing/integration-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'vm',
          // Boots the real VM under QEMU (TCG on our machines): minutes, not seconds.
          include: ['vm/**/*.integration.test.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

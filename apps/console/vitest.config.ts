import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [vue()],
        test: { name: 'unit', environment: 'jsdom', include: ['src/**/*.test.ts'] },
      },
      {
        // The browser end-to-end tests start the sandbox, PostgreSQL database, API and Chromium themselves
        // (one stack per file, see e2e/stack.ts); one file at a time keeps a small machine responsive.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});

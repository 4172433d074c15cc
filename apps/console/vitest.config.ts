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
        // The browser end-to-end test starts the sandbox, PostgreSQL database, API and Chromium itself.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});

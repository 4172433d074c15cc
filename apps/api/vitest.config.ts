import { defineConfig } from 'vitest/config';

// Unit tests (src/**/*.test.ts) need nothing outside the process; integration
// (src/**/*.int.test.ts) and HTTP end-to-end (test/**/*.e2e.test.ts) tests use the real
// PostgreSQL and Redis of the machine (each creates its own database and queue prefix).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses this file; migrations go through src/database/migrator.ts.
// generate needs a datasource URL but never connects, so a placeholder is fine.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/ledgerlink' },
});

// Opens the application's database: PostgreSQL when DATABASE_URL is set, otherwise the embedded
// PGlite kept in a data directory. Pending migrations are applied before the client is handed out.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { applyMigrations as runMigrations } from './migrator.js';
import { connectPostgres } from './postgres-connection.js';
import { describePostgresUrl } from './database-errors.js';
import { openPgliteStore } from './pglite-store.js';

export type DatabaseKind = 'postgresql' | 'pglite';

export interface Database {
  prisma: PrismaClient;
  kind: DatabaseKind;
  /** Where the data lives, for start-up logs; never contains a password. */
  description: string;
  /** Disconnects Prisma and, for PGlite, shuts the database down and frees its directory. Idempotent. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL URL (DATABASE_URL); when set, dataDir is ignored. */
  databaseUrl?: string | undefined;
  /** Directory for the embedded PGlite database (LEDGERLINK_DATA_DIR); created if missing. */
  dataDir?: string | undefined;
  /** Apply pending migrations before returning. Default true. */
  applyMigrations?: boolean | undefined;
}

function onceOnly(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/**
 * Opens PostgreSQL when databaseUrl is given, else PGlite in dataDir (created if missing); applies
 * pending migrations first. Unreachable PostgreSQL or an unusable directory is a one-line
 * DatabaseUnavailableError.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const migrate = options.applyMigrations ?? true;
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    return openPostgres(options.databaseUrl, migrate);
  }
  if (options.dataDir !== undefined && options.dataDir !== '') {
    return openPglite(options.dataDir, migrate);
  }
  throw new Error(
    'openDatabase needs a database: set DATABASE_URL for PostgreSQL or LEDGERLINK_DATA_DIR for the embedded PGlite.',
  );
}

async function openPostgres(databaseUrl: string, migrate: boolean): Promise<Database> {
  if (migrate) {
    await runMigrations({ databaseUrl });
  } else {
    // Prisma connects lazily; fail now, with a clear message, rather than on the first request.
    const client = await connectPostgres(databaseUrl);
    await client.end();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  return {
    prisma,
    kind: 'postgresql',
    description: `PostgreSQL at ${describePostgresUrl(databaseUrl)}`,
    close: onceOnly(() => prisma.$disconnect()),
  };
}

async function openPglite(dataDir: string, migrate: boolean): Promise<Database> {
  const store = await openPgliteStore(dataDir);
  try {
    if (migrate) await runMigrations({ pglite: store.pglite });
  } catch (error) {
    await store.close();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(store.pglite) });
  return {
    prisma,
    kind: 'pglite',
    description: `PGlite in ${store.directory}`,
    close: onceOnly(async () => {
      try {
        await prisma.$disconnect();
      } finally {
        await store.close();
      }
    }),
  };
}

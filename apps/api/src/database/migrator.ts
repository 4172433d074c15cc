// The project's migration runner: authors migrations against an in-memory PGlite and applies them
// to PGlite or PostgreSQL through Prisma's schema engine (WebAssembly) and a driver adapter.
// It writes the standard prisma/migrations layout and the standard _prisma_migrations table.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { DatabaseUnavailableError } from './database-errors.js';
import {
  LOCKFILE_CONTENT,
  MIGRATION_FILE_NAME,
  ensureLockfile,
  nextMigrationDirectoryName,
  normalizeMigrationName,
  readMigrationList,
} from './migrations-folder.js';
import { openPgliteStore } from './pglite-store.js';
import { connectPostgres } from './postgres-connection.js';
import { engineErrorMessage, withSchemaEngine, type SchemaFile, type SchemaFilter } from './schema-engine.js';

/** apps/api, found from this file (src/database/ under vitest, dist/database/ after tsc), never from cwd. */
const apiRoot = fileURLToPath(new URL('../../', import.meta.url));

export const defaultMigratorPaths = {
  schemaPath: path.join(apiRoot, 'prisma', 'schema.prisma'),
  migrationsDir: path.join(apiRoot, 'prisma', 'migrations'),
} as const;

/** Overrides for tests and tools; the defaults are apps/api/prisma/{schema.prisma,migrations}. */
export interface MigratorPaths {
  schemaPath?: string | undefined;
  migrationsDir?: string | undefined;
}

export interface MigrationTarget {
  /** PostgreSQL; takes precedence over the other two. */
  databaseUrl?: string | undefined;
  /** PGlite files in this directory (opened and closed around the apply). */
  dataDir?: string | undefined;
  /** An already open PGlite; left open. */
  pglite?: PGlite | undefined;
}

interface ResolvedPaths {
  schemaPath: string;
  migrationsDir: string;
}

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * Session-level advisory lock held around apply on PostgreSQL, so processes starting together
 * apply one after the other. The two-key form lives in a different key space from the engine's own
 * single-key lock (72707369), so the two never block each other.
 */
export const MIGRATION_LOCK_KEYS = [0x4c4c, 0x6d696772] as const; // "LL", "migr"

function resolvePaths(paths: MigratorPaths): ResolvedPaths {
  return {
    schemaPath: path.resolve(paths.schemaPath ?? defaultMigratorPaths.schemaPath),
    migrationsDir: path.resolve(paths.migrationsDir ?? defaultMigratorPaths.migrationsDir),
  };
}

async function readSchema(schemaPath: string): Promise<SchemaFile> {
  try {
    return { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
  } catch (error) {
    throw new Error(`Cannot read the Prisma schema at ${schemaPath}: ${engineErrorMessage(error)}`, { cause: error });
  }
}

function migrationError(action: string, error: unknown): Error {
  if (error instanceof DatabaseUnavailableError) return error;
  // The engine appends a Rust span trace on further lines; the first line is the message.
  const message = engineErrorMessage(error).split('\n')[0]?.trim() ?? '';
  return new Error(`${action} failed: ${message}`, { cause: error });
}

async function applyWith(
  factory: SqlMigrationAwareDriverAdapterFactory,
  paths: ResolvedPaths,
): Promise<{ applied: string[] }> {
  const [schema, migrationsList] = await Promise.all([
    readSchema(paths.schemaPath),
    readMigrationList(paths.migrationsDir),
  ]);
  try {
    const output = await withSchemaEngine(factory, [schema], (engine) =>
      engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
    );
    return { applied: output.appliedMigrationNames };
  } catch (error) {
    throw migrationError(`Applying migrations from ${paths.migrationsDir}`, error);
  }
}

async function applyToPostgres(databaseUrl: string, paths: ResolvedPaths): Promise<{ applied: string[] }> {
  const lockClient = await connectPostgres(databaseUrl);
  try {
    await lockClient.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK_KEYS]);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pool.on('error', () => undefined);
    try {
      return await applyWith(new PrismaPg(pool), paths);
    } finally {
      await pool.end();
    }
  } finally {
    // Ending the session releases the advisory lock even if the unlock query cannot run.
    await lockClient.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK_KEYS]).catch(() => undefined);
    await lockClient.end().catch(() => undefined);
  }
}

/**
 * Applies every migration in prisma/migrations that the target has not applied yet, recording them
 * in _prisma_migrations. Idempotent; on PostgreSQL, concurrent callers wait for each other.
 */
export async function applyMigrations(
  target: MigrationTarget,
  paths: MigratorPaths = {},
): Promise<{ applied: string[] }> {
  const resolved = resolvePaths(paths);
  if (target.databaseUrl !== undefined && target.databaseUrl !== '') {
    return applyToPostgres(target.databaseUrl, resolved);
  }
  if (target.pglite !== undefined) {
    return applyWith(new PrismaPGlite(target.pglite), resolved);
  }
  if (target.dataDir !== undefined && target.dataDir !== '') {
    const store = await openPgliteStore(target.dataDir);
    try {
      return await applyWith(new PrismaPGlite(store.pglite), resolved);
    } finally {
      await store.close();
    }
  }
  throw new Error('applyMigrations needs a target: pass databaseUrl (PostgreSQL), dataDir (PGlite directory) or pglite.');
}

/**
 * An adapter factory over one in-memory PGlite, started (initdb takes seconds) only when the engine
 * connects. The engine replays the existing migrations into the shadow database and compares the
 * result with the schema; the main connection only identifies the server, so both share the
 * throwaway instance.
 */
function inMemoryFactory(): { factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> } {
  let instance: Promise<PGlite> | undefined;
  const connect = async () => {
    instance ??= PGlite.create();
    return new PrismaPGlite(await instance).connect();
  };
  return {
    factory: { provider: 'postgres', adapterName: 'pglite-prisma-adapter', connect, connectToShadowDb: connect },
    async close() {
      const started = await instance?.catch(() => undefined);
      await started?.close();
    },
  };
}

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes a database from
 * the existing migrations to the current schema. Returns the new directory's name, or null when the
 * schema has no changes (nothing is written then).
 */
export async function authorMigration(
  name: string,
  paths: MigratorPaths & { now?: Date } = {},
): Promise<{ created: string | null }> {
  const slug = normalizeMigrationName(name);
  const resolved = resolvePaths(paths);
  const [schema, existing] = await Promise.all([
    readSchema(resolved.schemaPath),
    readMigrationList(resolved.migrationsDir),
  ]);
  // The engine reads the provider from the lock file; a first migration has none on disk yet, so it
  // gets the one that will be written with it.
  const migrationsList =
    existing.lockfile.content === null
      ? { ...existing, lockfile: { ...existing.lockfile, content: LOCKFILE_CONTENT } }
      : existing;
  const databases = inMemoryFactory();
  let script: string;
  try {
    const result = await withSchemaEngine(databases.factory, [schema], (engine) =>
      engine.diff({
        from: { tag: 'migrations', ...migrationsList },
        to: { tag: 'schemaDatamodel', files: [schema] },
        script: true,
        exitCode: true,
        filters: NO_FILTER,
      }),
    );
    // exitCode 2: the diff is non-empty; 0: nothing to do.
    if (result.exitCode !== 2) return { created: null };
    script = result.stdout ?? '';
  } catch (error) {
    throw migrationError(`Authoring migration ${JSON.stringify(slug)}`, error);
  } finally {
    await databases.close();
  }
  const directoryName = nextMigrationDirectoryName(
    migrationsList.migrationDirectories.map((directory) => directory.path),
    slug,
    paths.now ?? new Date(),
  );
  await ensureLockfile(resolved.migrationsDir);
  const directory = path.join(resolved.migrationsDir, directoryName);
  await mkdir(directory, { recursive: false });
  await writeFile(path.join(directory, MIGRATION_FILE_NAME), script.endsWith('\n') ? script : `${script}\n`, 'utf8');
  return { created: directoryName };
}
